import { useEffect, useRef, useState } from 'react';
import type { Stripe, StripeCardElement } from '@stripe/stripe-js';
import { Trans, useTranslation } from 'react-i18next';
import { api } from '../api/api-client';
import { ErrorSummary, Form, useAction } from './ui';

/** What POST /account/cards answers; the caller turns it into its notice. */
export interface SavedCardResult {
  cardId: string;
  brand: string;
  last4: string;
}

type Loaded = { stripe: Stripe; card: StripeCardElement };

/**
 * Production card entry: Stripe's card element (an iframe of js.stripe.com), so the card number goes
 * from the browser to Stripe and never to us. Stripe.js is imported lazily (`/pure`: no script is
 * injected until loadStripe runs), so pages without this form do not carry it. If Stripe.js cannot
 * load (offline, blocked), the form says so and offers to try again.
 */
export function StripeCardForm({
  publishableKey,
  onSaved,
}: {
  publishableKey: string;
  onSaved: (card: SavedCardResult) => void;
}) {
  const { t } = useTranslation();
  const mount = useRef<HTMLDivElement>(null);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const loaded = useRef<Loaded | null>(null);

  useEffect(() => {
    let cancelled = false;
    setState('loading');
    void (async () => {
      try {
        const { loadStripe } = await import('@stripe/stripe-js/pure');
        const stripe = await loadStripe(publishableKey);
        if (!stripe) throw new Error('Stripe.js not available');
        if (cancelled || !mount.current) return;
        const card = stripe.elements().create('card', { hidePostalCode: false });
        card.mount(mount.current);
        loaded.current = { stripe, card };
        setState('ready');
      } catch {
        if (!cancelled) setState('failed');
      }
    })();
    return () => {
      cancelled = true;
      loaded.current?.card.destroy();
      loaded.current = null;
    };
  }, [publishableKey, attempt]);

  const save = useAction(async () => {
    const current = loaded.current;
    if (!current) return;
    const intent = await api.post<{ setupIntentId: string; clientSecret: string }>('/account/cards/setup-intents');
    const result = await current.stripe.confirmCardSetup(intent.clientSecret, {
      payment_method: { card: current.card },
    });
    // Stripe's own message (e.g. "Your card was declined."): nothing was saved.
    if (result.error) throw new Error(result.error.message ?? 'the card could not be confirmed');
    const card = await api.post<SavedCardResult>('/account/cards', { setupIntentId: result.setupIntent.id });
    current.card.clear();
    onSaved(card);
  });

  return (
    <Form onSubmit={save.run} label={t('cardForm.label')}>
      <ErrorSummary error={save.error} />
      {state === 'loading' ? (
        <p className="muted" role="status">
          {t('cardForm.loading')}
        </p>
      ) : null}
      {state === 'failed' ? (
        <div className="alert alert-error" role="alert" data-testid="card-form-failed">
          <Trans i18nKey="cardForm.failed" components={{ strong: <strong /> }} />{' '}
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            {t('cardForm.retry')}
          </button>
        </div>
      ) : null}
      <div className="field">
        <span id="card-element-label">{t('cardForm.card')}</span>
        {/* Stripe's iframe mounts here; the card number never enters this page's JS. */}
        <div ref={mount} aria-labelledby="card-element-label" data-testid="card-element" hidden={state !== 'ready'} />
      </div>
      <p className="muted">{t('cardForm.privacy')}</p>
      <button type="submit" className="primary" disabled={state !== 'ready' || save.busy}>
        {t('cardForm.save')}
      </button>
    </Form>
  );
}
