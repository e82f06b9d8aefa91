import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { NewPasswordField } from '../components/password-field';
import { ErrorSummary, Field, Form, OneFieldForm, PageTitle, Success, useAction } from '../components/ui';
import { useTranslation } from 'react-i18next';
import { isLanguage } from '@app/contracts/i18n/languages';
import { applyLanguage, currentLanguage, hasChosenLanguage } from '../i18n/i18n';

/** Only paths inside the portal, so a crafted link cannot send a person elsewhere after login. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard';
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [username, setUsername] = useState(params.get('username') ?? '');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [mfaStep, setMfaStep] = useState(false);
  // Sent here by a password change: the server has ended every session, this tab's too, so there is nothing to
  // revoke; forget it here (synchronously, before anyone can log in again with the new password).
  const passwordChanged = params.get('changed') !== null;
  useEffect(() => {
    if (passwordChanged) void api.forgetSession();
  }, [passwordChanged]);
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
    // Signed in on a browser where no language was picked: the account's language applies.
    if (!hasChosenLanguage()) {
      const me = await api.get<{ language?: string }>('/me').catch(() => undefined);
      if (isLanguage(me?.language) && me.language !== currentLanguage()) await applyLanguage(me.language);
    }
    await navigate(safeNext(params.get('next')), { replace: true });
  });
  return (
    <div className="narrow">
      <PageTitle title={t('login.title')}>{mfaStep ? t('login.mfaHeading') : t('login.title')}</PageTitle>
      {params.get('verified') ? <Success>{t('login.verified')}</Success> : null}
      {params.get('reset') ? <Success>{t('login.reset')}</Success> : null}
      {params.get('changed') ? <Success>{t('login.changed')}</Success> : null}
      <ErrorSummary error={error} title={t('login.failed')} />
      <Form onSubmit={run} label={t('login.title')}>
        {mfaStep ? (
          <>
            <p>{t('login.mfaPrompt')}</p>
            <Field
              label={t('login.otp')}
              value={otp}
              onChange={(e) => setOtp(e.target.value)}
              autoComplete="one-time-code"
              inputMode="numeric"
              autoFocus
              required
            />
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {t('login.verifyAndLogIn')}
              </button>
              <button
                type="button"
                onClick={() => {
                  setMfaStep(false);
                  setOtp('');
                  setError(null);
                }}
              >
                {t('common.back')}
              </button>
            </div>
          </>
        ) : (
          <>
            <Field
              label={t('login.usernameOrEmail')}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoComplete="username"
              required
            />
            <Field
              label={t('common.password')}
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              required
            />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t('login.loggingIn') : t('login.title')}
            </button>
          </>
        )}
      </Form>
      <ul className="plain-links">
        <li>
          <Link to="/forgot-username">{t('login.forgotUsername')}</Link>
        </li>
        <li>
          <Link to="/reset-password">{t('login.forgotPassword')}</Link>
        </li>
        <li>
          <Link to="/signup">{t('login.createAccount')}</Link>
        </li>
      </ul>
    </div>
  );
}

export function ForgotUsernamePage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction(async () => {
    await api.post('/auth/forgot-username', { email: email.trim() }, false);
    setSent(true);
  });
  return (
    <div className="narrow">
      <PageTitle title={t('login.forgotUsernameTitle')}>{t('login.forgotUsername')}</PageTitle>
      {sent ? (
        <Success>{t('login.forgotUsernameSent', { email })}</Success>
      ) : (
        <>
          <ErrorSummary error={error} />
          <OneFieldForm
            onSubmit={run}
            label={t('login.forgotUsernameTitle')}
            field={{
              label: t('common.email'),
              type: 'email',
              value: email,
              onChange: (e) => setEmail(e.target.value),
              autoComplete: 'email',
              required: true,
            }}
            submit={t('login.emailUsername')}
            busy={busy}
            primary
          />
        </>
      )}
      <p>
        <Link to="/login">{t('login.backToLogin')}</Link>
      </p>
    </div>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
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
      <PageTitle title={t('login.resetTitle')}>{t('login.resetHeading')}</PageTitle>
      {!requested ? (
        <>
          <ErrorSummary error={request.error} />
          <OneFieldForm
            onSubmit={request.run}
            label={t('login.requestCode')}
            field={{
              label: t('common.username'),
              value: username,
              onChange: (e) => setUsername(e.target.value),
              autoComplete: 'username',
              required: true,
            }}
            submit={t('login.sendCode')}
            busy={request.busy}
            primary
          />
        </>
      ) : (
        <>
          <Success>{t('login.codeSent')}</Success>
          <ErrorSummary error={confirm.error} title={t('login.resetFailed')} />
          <Form onSubmit={confirm.run} label={t('login.chooseNew')} error={confirm.error}>
            <Field
              label={t('login.resetCode')}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
            />
            <NewPasswordField
              name="newPassword"
              label={t('login.newPassword')}
              value={password}
              onChange={setPassword}
              userInputs={[username]}
            />
            <button type="submit" className="primary" disabled={confirm.busy}>
              {t('login.changePassword')}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}
