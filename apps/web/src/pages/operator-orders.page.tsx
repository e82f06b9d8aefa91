import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client';
import { ErrorSummary, Loading, PageTitle, Select, Success, useAction, useLoad } from '../components/ui';
import { dateTime, humanize, money } from '../lib/format';

interface AdminOrderView {
  orderId: string;
  items: { sku: string; name: string; quantity: number; priceCents: number }[];
  totalCents: number;
  shippingAddress: { name?: string; line1: string; line2?: string; city: string; state: string; zip: string };
  status: string;
  trackingNumber?: string;
  shippedAt?: string;
  createdAt: string;
}

const STATUSES = ['paid', 'shipped', 'delivered', 'cancelled'] as const;

/** Operators ship stamp orders: the paid ones, oldest first; shipping one creates the label it travels with. */
export function OperatorOrdersPage() {
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
    setNotice(`Order ${order.orderId} shipped with tracking number ${shipped.trackingNumber ?? ''}.`);
    setVersion((v) => v + 1);
  });
  return (
    <>
      <PageTitle title="Stamp orders">Stamp orders to ship</PageTitle>
      <p>
        <Link to="/operator">Back to operator tools</Link>
      </p>
      {notice ? <Success>{notice}</Success> : null}
      <section className="panel" aria-labelledby="orders-title">
        <h2 id="orders-title">{humanize(status)} orders</h2>
        <Select
          label="Show orders that are"
          value={status}
          onChange={setStatus}
          options={STATUSES.map((status) => ({ value: status, label: humanize(status) }))}
        />
        <ErrorSummary error={orders.error ?? ship.error} />
        {orders.loading ? <Loading what="orders" /> : null}
        {orders.data && orders.data.items.length === 0 ? <p className="muted">No {status} orders.</p> : null}
        <ul className="item-list" data-testid="orders">
          {orders.data?.items.map((o) => (
            <li key={o.orderId}>
              <div>
                <strong>Order {o.orderId}</strong>
                <ul>
                  {o.items.map((i) => (
                    <li key={i.sku}>
                      {i.quantity} × {i.name}
                    </li>
                  ))}
                </ul>
                <div>
                  {money(o.totalCents)} · to {o.shippingAddress.name ? `${o.shippingAddress.name}, ` : ''}
                  {o.shippingAddress.line1}, {o.shippingAddress.city}, {o.shippingAddress.state} {o.shippingAddress.zip}
                </div>
                <div className="muted">
                  placed {dateTime(o.createdAt)}
                  {o.trackingNumber ? ` · tracking ${o.trackingNumber}` : ''}
                  {o.shippedAt ? ` · shipped ${dateTime(o.shippedAt)}` : ''}
                </div>
              </div>
              {o.status === 'paid' ? (
                <div className="actions">
                  <button
                    type="button"
                    className="primary"
                    disabled={ship.busy}
                    onClick={() => void ship.run(o)}
                    aria-label={`Mark shipped: order ${o.orderId}`}
                  >
                    Mark shipped
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
