import { useState } from 'react';
import { api } from '../api/api-client';
import { TEST_CARD_PAYMENT_METHOD } from '../components/payment-choice';
import { SavedCards } from '../components/saved-cards';
import {
  ErrorSummary,
  Form,
  ItemList,
  Loading,
  PageTitle,
  Select,
  Success,
  useAction,
  useLoad,
} from '../components/ui';
import { dateTime, money } from '../lib/format';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiSchemas } from '../api/types';

type LedgerEntryView = ApiSchemas['LedgerEntryView'];

/** $10 to $500 in steps of $10, as the API takes them. */
const AMOUNTS = Array.from({ length: 50 }, (_, i) => (i + 1) * 1_000);

function paidWith(entry: LedgerEntryView, t: TFunction): string {
  if (entry.method === 'balance') return t('wallet.paidBalance');
  return entry.card
    ? t('wallet.paidCardEnding', { brand: entry.card.brand.toUpperCase(), last4: entry.card.last4 })
    : t('wallet.paidCard');
}

/** Saves one receipt's PDF through the authenticated API, as a file download. */
async function downloadReceipt(entry: LedgerEntryView): Promise<void> {
  const blob = await api.blob(`/receipts/${encodeURIComponent(entry.entryId)}/pdf`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `receipt-${entry.entryId.replace(/[^\w-]/g, '-')}.pdf`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The postage wallet: the balance, a top-up by card, and every payment with its receipt. */
export function WalletPage() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const balance = useLoad(() => api.get<{ balanceCents: number }>('/account/balance'), [version]);
  const history = useLoad(() => api.get<{ items: LedgerEntryView[] }>('/account/balance/history?limit=50'), [version]);
  const [amount, setAmount] = useState('2000');
  const [notice, setNotice] = useState<string | null>(null);
  const topUp = useAction(async () => {
    setNotice(null);
    const result = await api.post<{ balanceCents: number; amountCents: number }>('/account/balance/top-ups', {
      amountCents: Number(amount),
      paymentMethodId: TEST_CARD_PAYMENT_METHOD,
    });
    setNotice(t('wallet.added', { amount: money(result.amountCents), balance: money(result.balanceCents) }));
    setVersion((v) => v + 1);
  });
  const receipt = useAction((entry: LedgerEntryView) => downloadReceipt(entry));
  return (
    <>
      <PageTitle title={t('wallet.title')}>{t('wallet.heading')}</PageTitle>
      {notice ? <Success>{notice}</Success> : null}
      <div className="grid">
        <section className="panel" aria-labelledby="balance-title">
          <h2 id="balance-title">{t('wallet.balanceTitle')}</h2>
          <ErrorSummary error={balance.error ?? topUp.error} />
          {balance.data ? (
            <p>
              <Trans
                i18nKey="wallet.balance"
                values={{ balance: money(balance.data.balanceCents) }}
                components={{ strong: <strong /> }}
              />
            </p>
          ) : (
            <Loading what={t('wallet.loadingBalance')} />
          )}
          <Form onSubmit={topUp.run} label={t('wallet.addMoney')}>
            <Select
              label={t('wallet.amount')}
              value={amount}
              onChange={setAmount}
              options={AMOUNTS.map((cents) => ({ value: String(cents), label: money(cents) }))}
            />
            <p className="muted">{t('wallet.testCard')}</p>
            <button type="submit" className="primary" disabled={topUp.busy}>
              {t('wallet.addMoney')}
            </button>
          </Form>
        </section>
        <section className="panel" aria-labelledby="history-title">
          <h2 id="history-title">{t('wallet.history')}</h2>
          <ErrorSummary error={history.error ?? receipt.error} />
          <ItemList list={history} loading={t('wallet.loadingPayments')} empty={t('wallet.none')}>
            {(e) => (
              <li key={e.entryId}>
                <div>
                  <strong>{e.description}</strong>
                  <div>
                    {money(e.amountCents)} · {paidWith(e, t)}
                    {e.balanceChangeCents !== 0
                      ? ` · ${t('wallet.balanceChange', {
                          change: `${e.balanceChangeCents > 0 ? '+' : '−'}${money(Math.abs(e.balanceChangeCents))}`,
                        })}`
                      : ''}
                  </div>
                  <div className="muted">{dateTime(e.createdAt)}</div>
                </div>
                <div className="actions">
                  <button
                    type="button"
                    onClick={() => void receipt.run(e)}
                    aria-label={t('wallet.receiptFor', { description: e.description })}
                  >
                    {t('wallet.receipt')}
                  </button>
                </div>
              </li>
            )}
          </ItemList>
        </section>
        <SavedCards />
      </div>
    </>
  );
}
