import type { TFunction } from 'i18next';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client';
import { formatAddress } from '../components/address-fields';
import { ErrorSummary, Field, Form, Loading, PageTitle, Select, Success, useAction, useLoad } from '../components/ui';
import { type PaymentChoice, PaymentSelect, paymentBody } from '../components/payment-choice';
import { dateTime, money } from '../lib/format';
import { useSessionUser } from '../session';
import type { AddressView } from './profile.page';
import { Trans, useTranslation } from 'react-i18next';
import type { ApiSchemas } from '../api/types';

/** The catalogue's products are a finite list: their names by SKU in the page's language (the API's name otherwise). */
const skuKey = (sku: string) => sku.toLowerCase().replace(/-/g, '_');
function stampName(sku: string, name: string, t: TFunction): string {
  return t(`stampProducts.${skuKey(sku)}.name`, { defaultValue: name });
}

type StampProduct = ApiSchemas['StampProduct'];

type OrderView = ApiSchemas['OrderView'];

function Orders({ version }: { version: number }) {
  const { t } = useTranslation();
  const orders = useLoad(() => api.get<{ items: OrderView[] }>('/orders?limit=20'), [version]);
  return (
    <section className="panel" aria-labelledby="orders-title">
      <h2 id="orders-title">{t('stamps.orders')}</h2>
      <ErrorSummary error={orders.error} />
      {orders.loading ? <Loading what={t('stamps.loadingOrders')} /> : null}
      {orders.data && orders.data.items.length === 0 ? <p className="muted">{t('stamps.noOrders')}</p> : null}
      <ul className="item-list">
        {orders.data?.items.map((o) => (
          <li key={o.orderId}>
            <div>
              <strong className="mono">{o.orderId}</strong> · {money(o.totalCents)} ·{' '}
              <span className="badge">{t(`stamps.orderStatus.${o.status}`, { defaultValue: o.status })}</span>
              <div className="muted">
                {o.items
                  .map((i) => t('stamps.line', { quantity: i.quantity, name: stampName(i.sku, i.name, t) }))
                  .join(', ')}{' '}
                · {dateTime(o.createdAt)}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function StampsPage() {
  const { t } = useTranslation();
  const user = useSessionUser();
  const catalogue = useLoad(() => api.get<{ items: StampProduct[] }>('/stamps'));
  const addresses = useLoad(
    () => (user ? api.get<{ items: AddressView[] }>('/me/addresses') : Promise.resolve({ items: [] as AddressView[] })),
    [user?.userId],
  );
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [addressId, setAddressId] = useState('');
  const [version, setVersion] = useState(0);
  const [placed, setPlaced] = useState<string | null>(null);
  const [payWith, setPayWith] = useState<PaymentChoice>('card');
  const items = Object.entries(quantities)
    .filter(([, q]) => q > 0)
    .map(([sku, quantity]) => ({ sku, quantity }));
  const total = items.reduce(
    (sum, i) => sum + i.quantity * (catalogue.data?.items.find((p) => p.sku === i.sku)?.priceCents ?? 0),
    0,
  );
  const chosenAddress =
    addressId || addresses.data?.items.find((a) => a.isDefault)?.id || addresses.data?.items[0]?.id || '';
  const order = useAction(async () => {
    const result = await api.post<{ orderId: string; totalCents: number }>('/orders', {
      items,
      shippingAddressId: chosenAddress,
      payment: paymentBody(payWith),
    });
    setPlaced(t('stamps.placed', { orderId: result.orderId, total: money(result.totalCents) }));
    setQuantities({});
    setVersion((v) => v + 1);
  });
  return (
    <>
      <PageTitle title={t('stamps.title')}>{t('stamps.heading')}</PageTitle>
      {placed ? <Success>{placed}</Success> : null}
      <div className="grid">
        <section className="panel" aria-labelledby="catalogue-title">
          <h2 id="catalogue-title">{t('stamps.catalogue')}</h2>
          <ErrorSummary error={catalogue.error ?? order.error} />
          {catalogue.loading ? <Loading what={t('stamps.loadingCatalogue')} /> : null}
          <Form onSubmit={order.run} label={t('stamps.orderForm')}>
            <ul className="item-list">
              {catalogue.data?.items.map((p) => (
                <li key={p.sku}>
                  <div>
                    <strong>{stampName(p.sku, p.name, t)}</strong>
                    <div className="muted">
                      {t('stamps.perUnit', {
                        price: money(p.priceCents),
                        unit: t(`stampProducts.${skuKey(p.sku)}.unit`, { defaultValue: p.unit }),
                      })}
                    </div>
                  </div>
                  {user ? (
                    <Field
                      label={t('stamps.quantityOf', { name: stampName(p.sku, p.name, t) })}
                      type="number"
                      min={0}
                      max={100}
                      required
                      className="qty"
                      value={String(quantities[p.sku] ?? 0)}
                      onChange={(e) =>
                        setQuantities({ ...quantities, [p.sku]: Math.max(0, Math.trunc(Number(e.target.value) || 0)) })
                      }
                    />
                  ) : null}
                </li>
              ))}
            </ul>
            {user ? (
              <>
                {addresses.data && addresses.data.items.length === 0 ? (
                  <p>
                    <Trans i18nKey="stamps.addAddress" components={{ go: <Link to="/profile" /> }} />
                  </p>
                ) : (
                  <Select
                    label={t('stamps.shipTo')}
                    value={chosenAddress}
                    onChange={setAddressId}
                    options={(addresses.data?.items ?? []).map((a) => ({
                      value: a.id,
                      label: a.label ? `${a.label}: ${formatAddress(a)}` : formatAddress(a),
                    }))}
                  />
                )}
                <PaymentSelect value={payWith} onChange={setPayWith} />
                <p>
                  <Trans i18nKey="stamps.total" values={{ total: money(total) }} components={{ strong: <strong /> }} />
                </p>
                <button type="submit" className="primary" disabled={order.busy || items.length === 0 || !chosenAddress}>
                  {t('stamps.placeOrder')}
                </button>
              </>
            ) : (
              <p>
                <Trans i18nKey="stamps.logIn" components={{ go: <Link to="/login?next=/stamps" /> }} />
              </p>
            )}
          </Form>
        </section>
        {user ? <Orders version={version} /> : null}
      </div>
    </>
  );
}
