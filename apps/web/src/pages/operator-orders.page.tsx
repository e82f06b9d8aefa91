import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client';
import { ErrorSummary, Loading, PageTitle, Select, Success, useAction, useLoad } from '../components/ui';
import { dateTime, money } from '../lib/format';
import { useTranslation } from 'react-i18next';
import type { ApiSchemas } from '../api/types';

type AdminOrderView = ApiSchemas['OrderView'];

const STATUSES = ['paid', 'shipped', 'delivered', 'cancelled'] as const;

/** Operators ship stamp orders: the paid ones, oldest first; shipping one creates the label it travels with. */
export function OperatorOrdersPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>('paid');
  const [version, setVersion] = useState(0);
  const orders = useLoad(
    () => api.get<{ items: AdminOrderView[] }>(`/admin/orders?status=${encodeURIComponent(status)}&limit=100`),
    [status, version],
  );
  const [notice, setNotice] = useState<string | null>(null);
  const ship = useAction(async (order: AdminOrderView) => {
    setNotice(null);
    const shipped = await api.post<AdminOrderView>(`/admin/orders/${encodeURIComponent(order.orderId)}/ship`);
    setNotice(t('operatorOrders.shipped', { orderId: order.orderId, trackingNumber: shipped.trackingNumber ?? '' }));
    setVersion((v) => v + 1);
  });
  return (
    <>
      <PageTitle title={t('operatorOrders.title')}>{t('operator.stampOrders')}</PageTitle>
      <p>
        <Link to="/operator">{t('operatorOrders.back')}</Link>
      </p>
      {notice ? <Success>{notice}</Success> : null}
      <section className="panel" aria-labelledby="orders-title">
        <h2 id="orders-title">{t('operatorOrders.heading', { status: t(`stamps.orderStatus.${status}`) })}</h2>
        <Select
          label={t('operatorOrders.filter')}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((status) => ({ value: status, label: t(`stamps.orderStatus.${status}`) }))}
        />
        <ErrorSummary error={orders.error ?? ship.error} />
        {orders.loading ? <Loading what={t('stamps.loadingOrders')} /> : null}
        {orders.data && orders.data.items.length === 0 ? (
          <p className="muted">{t('operatorOrders.none', { status: t(`stamps.orderStatus.${status}`) })}</p>
        ) : null}
        <ul className="item-list" data-testid="orders">
          {orders.data?.items.map((o) => (
            <li key={o.orderId}>
              <div>
                <strong>{t('operatorOrders.order', { orderId: o.orderId })}</strong>
                <ul>
                  {o.items.map((i) => (
                    <li key={i.sku}>
                      {t('stamps.line', {
                        quantity: i.quantity,
                        name: t(`stampProducts.${i.sku.toLowerCase().replace(/-/g, '_')}.name`, {
                          defaultValue: i.name,
                        }),
                      })}
                    </li>
                  ))}
                </ul>
                <div>
                  {t('operatorOrders.totalTo', {
                    total: money(o.totalCents),
                    address: [
                      o.shippingAddress.name,
                      o.shippingAddress.line1,
                      o.shippingAddress.city,
                      `${o.shippingAddress.state} ${o.shippingAddress.zip}`,
                    ]
                      .filter(Boolean)
                      .join(', '),
                  })}
                </div>
                <div className="muted">
                  {[
                    t('operatorOrders.placed', { date: dateTime(o.createdAt) }),
                    o.trackingNumber ? t('operatorOrders.tracking', { trackingNumber: o.trackingNumber }) : '',
                    o.shippedAt ? t('operatorOrders.shippedAt', { date: dateTime(o.shippedAt) }) : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </div>
              </div>
              {o.status === 'paid' ? (
                <div className="actions">
                  <button
                    type="button"
                    className="primary"
                    disabled={ship.busy}
                    onClick={() => void ship.run(o)}
                    aria-label={t('operatorOrders.markShippedOf', { orderId: o.orderId })}
                  >
                    {t('operatorOrders.markShipped')}
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
