import type { ChangeEvent } from 'react';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/api-client';
import { AddressFields, cleanAddress, EMPTY_ADDRESS, type AddressValue } from '../components/address-fields';
import { NewPasswordField } from '../components/password-field';
import { ErrorSummary, Field, Form, PageTitle, Success, useAction } from '../components/ui';
import { Trans, useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n/i18n';

export function SignUpPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form, setForm] = useState({
    username: '',
    email: '',
    phone: '',
    firstName: '',
    lastName: '',
    accountType: 'personal' as 'personal' | 'business',
    companyName: '',
  });
  const [password, setPassword] = useState('');
  const [address, setAddress] = useState<AddressValue>(EMPTY_ADDRESS);
  const set = (key: keyof typeof form) => (e: ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [key]: e.target.value });
  const { busy, error, run } = useAction(async () => {
    await api.post(
      '/auth/register',
      {
        username: form.username.trim(),
        password,
        email: form.email.trim(),
        ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
        firstName: form.firstName.trim(),
        lastName: form.lastName.trim(),
        accountType: form.accountType,
        ...(form.accountType === 'business' && form.companyName.trim() ? { companyName: form.companyName.trim() } : {}),
        address: cleanAddress({ ...address, name: undefined }),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        // The page's language (the browser's, or the one picked) becomes the account's.
        language: currentLanguage(),
      },
      false,
    );
    await navigate(
      `/verify-email?username=${encodeURIComponent(form.username.trim())}&email=${encodeURIComponent(form.email.trim())}`,
    );
  });
  return (
    <div className="narrow">
      <PageTitle title={t('signup.title')}>{t('signup.heading')}</PageTitle>
      <ErrorSummary error={error} title={t('signup.failed')} />
      <Form onSubmit={run} label={t('signup.title')} error={error}>
        <fieldset>
          <legend>{t('signup.accountType')}</legend>
          <div className="radios">
            {(['personal', 'business'] as const).map((type) => (
              <label key={type}>
                <input
                  type="radio"
                  name="accountType"
                  value={type}
                  checked={form.accountType === type}
                  onChange={() => setForm({ ...form, accountType: type })}
                />{' '}
                {type === 'personal' ? t('signup.personal') : t('signup.business')}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <Field
            label={t('signup.firstName')}
            value={form.firstName}
            onChange={set('firstName')}
            name="firstName"
            autoComplete="given-name"
            required
          />
          <Field
            label={t('signup.lastName')}
            value={form.lastName}
            onChange={set('lastName')}
            name="lastName"
            autoComplete="family-name"
            required
          />
        </div>
        {form.accountType === 'business' ? (
          <Field
            label={t('signup.company')}
            value={form.companyName}
            onChange={set('companyName')}
            name="companyName"
            autoComplete="organization"
            required
          />
        ) : null}
        <Field
          label={t('common.username')}
          value={form.username}
          onChange={set('username')}
          name="username"
          autoComplete="username"
          required
        />
        <Field
          label={t('common.email')}
          type="email"
          value={form.email}
          onChange={set('email')}
          name="email"
          autoComplete="email"
          required
        />
        <Field
          label={t('signup.phone')}
          type="tel"
          value={form.phone}
          onChange={set('phone')}
          name="phone"
          autoComplete="tel"
          hint={t('signup.phoneHint')}
        />
        <NewPasswordField
          value={password}
          onChange={setPassword}
          userInputs={[form.username, form.email.split('@')[0] ?? '', form.firstName, form.lastName]}
        />
        <AddressFields
          legend={t('signup.homeAddress')}
          value={address}
          onChange={setAddress}
          withName={false}
          field="address"
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signup.creating') : t('signup.create')}
        </button>
      </Form>
      <p>
        <Trans i18nKey="signup.haveAccount" components={{ login: <Link to="/login" /> }} />
      </p>
    </div>
  );
}

export function VerifyEmailPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [username, setUsername] = useState(params.get('username') ?? '');
  const [code, setCode] = useState('');
  const email = params.get('email');
  const { busy, error, run } = useAction(async () => {
    await api.post('/auth/verify-email', { username: username.trim(), code: code.trim() }, false);
    await navigate(`/login?verified=1&username=${encodeURIComponent(username.trim())}`);
  });
  return (
    <div className="narrow">
      <PageTitle title={t('signup.verifyTitle')}>{t('signup.verifyTitle')}</PageTitle>
      <Success>
        {email ? (
          <Trans i18nKey="signup.verifySent" values={{ email }} components={{ email: <strong /> }} />
        ) : (
          t('signup.verifySentNoEmail')
        )}
      </Success>
      <ErrorSummary error={error} />
      <Form onSubmit={run} label={t('signup.verifyForm')}>
        <Field
          label={t('common.username')}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="username"
          required
        />
        <Field
          label={t('signup.code')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6,10}"
          required
        />
        <button type="submit" className="primary" disabled={busy}>
          {t('signup.verify')}
        </button>
      </Form>
    </div>
  );
}
