import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { NewPasswordField } from '../components/password-field';
import { ErrorSummary, Field, Form, PageTitle, Success, useAction } from '../components/ui';

/** Only paths inside the portal, so a crafted link cannot send a person elsewhere after login. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard';
}

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [username, setUsername] = useState(params.get('username') ?? '');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [mfaStep, setMfaStep] = useState(false);
  const { busy, error, run, setError } = useAction(async () => {
    try {
      await api.login(username.trim(), password, mfaStep ? otp.trim() : undefined);
    } catch (e) {
      if (e instanceof ApiError && e.mfaRequired && !mfaStep) {
        setMfaStep(true);
        return;
      }
      throw e;
    }
    await navigate(safeNext(params.get('next')), { replace: true });
  });
  return (
    <div className="narrow">
      <PageTitle title="Log in">{mfaStep ? 'Two-step verification' : 'Log in'}</PageTitle>
      {params.get('verified') ? <Success>Your email address is verified. You can log in now.</Success> : null}
      {params.get('reset') ? <Success>Your password was changed. Log in with the new one.</Success> : null}
      {params.get('changed') ? (
        <Success>
          Your password was changed, and every session was signed out, this one included. Log in with the new password.
        </Success>
      ) : null}
      <ErrorSummary error={error} title="We could not log you in" />
      <Form onSubmit={run} label="Log in">
        {mfaStep ? (
          <>
            <p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
            <Field
              label="Authentication code"
              value={otp}
              onChange={(e) => setOtp(e.target.value)}
              autoComplete="one-time-code"
              inputMode="numeric"
              autoFocus
              required
            />
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                Verify and log in
              </button>
              <button
                type="button"
                onClick={() => {
                  setMfaStep(false);
                  setOtp('');
                  setError(null);
                }}
              >
                Back
              </button>
            </div>
          </>
        ) : (
          <>
            <Field
              label="Username or email"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoComplete="username"
              required
            />
            <Field
              label="Password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              required
            />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Logging in…' : 'Log in'}
            </button>
          </>
        )}
      </Form>
      <ul className="plain-links">
        <li>
          <Link to="/forgot-username">Forgot your username?</Link>
        </li>
        <li>
          <Link to="/reset-password">Forgot your password?</Link>
        </li>
        <li>
          <Link to="/signup">Create an account</Link>
        </li>
      </ul>
    </div>
  );
}

export function ForgotUsernamePage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction(async () => {
    await api.post('/auth/forgot-username', { email: email.trim() }, false);
    setSent(true);
  });
  return (
    <div className="narrow">
      <PageTitle title="Forgot username">Forgot your username?</PageTitle>
      {sent ? (
        <Success>If an account uses {email}, we have emailed its username there.</Success>
      ) : (
        <>
          <ErrorSummary error={error} />
          <Form onSubmit={run} label="Forgot username">
            <Field
              label="Email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoComplete="email"
              required
            />
            <button type="submit" className="primary" disabled={busy}>
              Email my username
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">Back to log in</Link>
      </p>
    </div>
  );
}

export function ResetPasswordPage() {
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [requested, setRequested] = useState(false);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const request = useAction(async () => {
    await api.post('/auth/password-reset/request', { username: username.trim() }, false);
    setRequested(true);
  });
  const confirm = useAction(async () => {
    await api.post(
      '/auth/password-reset/confirm',
      { username: username.trim(), code: code.trim(), newPassword: password },
      false,
    );
    await navigate(`/login?reset=1&username=${encodeURIComponent(username.trim())}`);
  });
  return (
    <div className="narrow">
      <PageTitle title="Reset password">Reset your password</PageTitle>
      {!requested ? (
        <>
          <ErrorSummary error={request.error} />
          <Form onSubmit={request.run} label="Request a reset code">
            <Field
              label="Username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoComplete="username"
              required
            />
            <button type="submit" className="primary" disabled={request.busy}>
              Send me a code
            </button>
          </Form>
        </>
      ) : (
        <>
          <Success>
            If the account exists, a code is on its way by email (and by text to a verified phone). It is valid for 15
            minutes.
          </Success>
          <ErrorSummary error={confirm.error} title="We could not change your password" />
          <Form onSubmit={confirm.run} label="Choose a new password">
            <Field
              label="Reset code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
            />
            <NewPasswordField label="New password" value={password} onChange={setPassword} userInputs={[username]} />
            <button type="submit" className="primary" disabled={confirm.busy}>
              Change password
            </button>
          </Form>
        </>
      )}
    </div>
  );
}
