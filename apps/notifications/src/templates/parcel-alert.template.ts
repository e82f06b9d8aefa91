import type { ParcelAlertData } from '@app/contracts';
import type { RenderedMessage, TemplateContext } from './layout';
import { parcelScanMessage } from './parcel-scan';

export function parcelAlertTemplate(data: ParcelAlertData, ctx: TemplateContext): RenderedMessage {
  return parcelScanMessage('notifications:parcel_alert_subject', data, ctx);
}
