import type { ParcelStatusChangedData } from '@app/contracts';
import type { RenderedMessage, TemplateContext } from './layout';
import { parcelScanMessage } from './parcel-scan';

export function parcelStatusChangedTemplate(data: ParcelStatusChangedData, ctx: TemplateContext): RenderedMessage {
  return parcelScanMessage('notifications:parcel_status_subject', data, ctx);
}
