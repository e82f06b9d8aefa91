import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { parseTrackingNumbers } from '../lib/format';
import { useSessionUser } from '../session';
import { PageTitle } from '../components/ui';
import { useTranslation } from 'react-i18next';

export const MAX_TRACKING_NUMBERS = 35;

export function TrackingBox({ initial = '' }: { initial?: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const navigate = useNavigate();
  return (
    <form
      className="track-box"
      role="search"
      aria-label={t('track.search')}
      onSubmit={(e) => {
        e.preventDefault();
        const numbers = parseTrackingNumbers(text);
        if (numbers.length === 0) return setProblem(t('track.none'));
        if (numbers.length > MAX_TRACKING_NUMBERS) {
          return setProblem(t('track.tooMany', { max: MAX_TRACKING_NUMBERS }));
        }
        setProblem(null);
        void navigate(`/track?numbers=${encodeURIComponent(numbers.join(','))}`);
      }}
    >
      <label htmlFor="tracking-numbers">{t('track.numbers')}</label>
      <div className="hint" id="tracking-hint">
        {t('track.hint', { max: MAX_TRACKING_NUMBERS })}
      </div>
      <textarea
        id="tracking-numbers"
        name="numbers"
        rows={2}
        value={text}
        aria-describedby={problem ? 'tracking-hint tracking-problem' : 'tracking-hint'}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => setText(e.target.value)}
      />
      {problem ? (
        <p className="field-error" id="tracking-problem" role="alert">
          {problem}
        </p>
      ) : null}
      <button type="submit" className="primary">
        {t('track.submit')}
      </button>
    </form>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const user = useSessionUser();
  return (
    <>
      <section className="hero">
        <PageTitle title={t('home.title')}>{t('home.heading')}</PageTitle>
        <TrackingBox />
      </section>
      <section aria-labelledby="quick-tools" className="cards">
        <h2 id="quick-tools" className="visually-hidden">
          {t('home.quickTools')}
        </h2>
        <Link className="card" to={user ? '/labels' : '/labels/quote'}>
          <strong>{t('home.printLabel')}</strong>
          <span>{t('home.printLabelText')}</span>
        </Link>
        <Link className="card" to="/pickups">
          <strong>{t('home.pickup')}</strong>
          <span>{t('home.pickupText')}</span>
        </Link>
        <Link className="card" to="/stamps">
          <strong>{t('home.stamps')}</strong>
          <span>{t('home.stampsText')}</span>
        </Link>
        <Link className="card" to={user ? '/dashboard' : '/signup'}>
          <strong>{user ? t('home.dashboard') : t('home.createAccount')}</strong>
          <span>{t('home.accountText')}</span>
        </Link>
      </section>
    </>
  );
}
