import { useState } from 'react';
import { api } from '../api/api-client';
import { TEST_CARD_PAYMENT_METHOD } from '../components/payment-choice';
import { SavedCards } from '../components/saved-cards';
import { ErrorSummary, Form, Loading, PageTitle, Select, Success, useAction, useLoad } from '../components/ui';
import { dateTime, money } from '../lib/format';

interface LedgerEntryView {
  entryId: string;
  kind: string;
  amountCents: number;
  balanceChangeCents: number;
  description: string;
  method: 'balance' | 'card';
  card?: { brand: string; last4: string };
  createdAt: string;
}

/** $10 to $500 in steps of $10, as the API takes them. */
const AMOUNTS = Array.from({ length: 50 }, (_, i) => (i + 1) * 1_000);

function paidWith(entry: LedgerEntryView): string {
  if (entry.method === 'balance') return 'postage balance';
  return entry.card ? `${entry.card.brand.toUpperCase()} ending ${entry.card.last4}` : 'card';
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
    setNotice(`Added ${money(result.amountCents)}: your balance is ${money(result.balanceCents)}.`);
    setVersion((v) => v + 1);
  });
  const receipt = useAction((entry: LedgerEntryView) => downloadReceipt(entry));
  return (
    <>
      <PageTitle title="Wallet">Postage wallet</PageTitle>
      {notice ? <Success>{notice}</Success> : null}
      <div className="grid">
        <section className="panel" aria-labelledby="balance-title">
          <h2 id="balance-title">Balance</h2>
          <ErrorSummary error={balance.error ?? topUp.error} />
          {balance.data ? (
            <p>
              Balance: <strong>{money(balance.data.balanceCents)}</strong>
            </p>
          ) : (
            <Loading what="the balance" />
          )}
          <Form onSubmit={topUp.run} label="Add money">
            <Select
              label="Amount"
              value={amount}
              onChange={setAmount}
              options={AMOUNTS.map((cents) => ({ value: String(cents), label: money(cents) }))}
            />
            <p className="muted">Paid with the Stripe test Visa ending 4242 (local mode).</p>
            <button type="submit" className="primary" disabled={topUp.busy}>
              Add money
            </button>
          </Form>
        </section>
        <section className="panel" aria-labelledby="history-title">
          <h2 id="history-title">Payments and receipts</h2>
          <ErrorSummary error={history.error ?? receipt.error} />
          {history.loading ? <Loading what="payments" /> : null}
          {history.data && history.data.items.length === 0 ? <p className="muted">No payments yet.</p> : null}
          <ul className="item-list">
            {history.data?.items.map((e) => (
              <li key={e.entryId}>
                <div>
                  <strong>{e.description}</strong>
                  <div>
                    {money(e.amountCents)} · {paidWith(e)}
                    {e.balanceChangeCents !== 0
                      ? ` · balance ${e.balanceChangeCents > 0 ? '+' : '−'}${money(Math.abs(e.balanceChangeCents))}`
                      : ''}
                  </div>
                  <div className="muted">{dateTime(e.createdAt)}</div>
                </div>
                <div className="actions">
                  <button
                    type="button"
                    onClick={() => void receipt.run(e)}
                    aria-label={`Download receipt for ${e.description}`}
                  >
                    Receipt (PDF)
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
        <SavedCards />
      </div>
    </>
  );
}
