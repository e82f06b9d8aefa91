import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { parseTrackingNumbers } from '../lib/format';
import { useSessionUser } from '../session';
import { PageTitle } from '../components/ui';

export const MAX_TRACKING_NUMBERS = 35;

export function TrackingBox({ initial = '' }: { initial?: string }) {
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const navigate = useNavigate();
  return (
    <form
      className="track-box"
      role="search"
      aria-label="Track parcels"
      onSubmit={(e) => {
        e.preventDefault();
        const numbers = parseTrackingNumbers(text);
        if (numbers.length === 0) return setProblem('Enter at least one tracking number.');
        if (numbers.length > MAX_TRACKING_NUMBERS) {
          return setProblem(`Enter at most ${MAX_TRACKING_NUMBERS} tracking numbers at once.`);
        }
        setProblem(null);
        void navigate(`/track?numbers=${encodeURIComponent(numbers.join(','))}`);
      }}
    >
      <label htmlFor="tracking-numbers">Tracking numbers</label>
      <div className="hint" id="tracking-hint">
        Up to {MAX_TRACKING_NUMBERS}, separated by commas or new lines.
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
        Track
      </button>
    </form>
  );
}

export function HomePage() {
  const user = useSessionUser();
  return (
    <>
      <section className="hero">
        <PageTitle title="Home">Track a parcel</PageTitle>
        <TrackingBox />
      </section>
      <section aria-labelledby="quick-tools" className="cards">
        <h2 id="quick-tools" className="visually-hidden">
          Quick tools
        </h2>
        <Link className="card" to={user ? '/labels' : '/labels/quote'}>
          <strong>Print a label</strong>
          <span>Compare prices and pay for postage online.</span>
        </Link>
        <Link className="card" to="/pickups">
          <strong>Schedule a pickup</strong>
          <span>Your carrier collects parcels from your door, for free.</span>
        </Link>
        <Link className="card" to="/stamps">
          <strong>Buy stamps</strong>
          <span>Delivered to your mailbox.</span>
        </Link>
        <Link className="card" to={user ? '/dashboard' : '/signup'}>
          <strong>{user ? 'Your dashboard' : 'Create an account'}</strong>
          <span>See parcels on their way to you and get told when one arrives.</span>
        </Link>
      </section>
    </>
  );
}
