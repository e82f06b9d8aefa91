import type { ChangeEvent } from 'react';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/api-client';
import { AddressFields, cleanAddress, EMPTY_ADDRESS, type AddressValue } from '../components/address-fields';
import { NewPasswordField } from '../components/password-field';
import { ErrorSummary, Field, Form, PageTitle, Success, useAction } from '../components/ui';

export function SignUpPage() {
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
      },
      false,
    );
    await navigate(
      `/verify-email?username=${encodeURIComponent(form.username.trim())}&email=${encodeURIComponent(form.email.trim())}`,
    );
  });
  return (
    <div className="narrow">
      <PageTitle title="Sign up">Create your account</PageTitle>
      <ErrorSummary error={error} title="We could not create your account" />
      <Form onSubmit={run} label="Sign up">
        <fieldset>
          <legend>Account type</legend>
          <div className="radios">
            {(['personal', 'business'] as const).map((t) => (
              <label key={t}>
                <input
                  type="radio"
                  name="accountType"
                  value={t}
                  checked={form.accountType === t}
                  onChange={() => setForm({ ...form, accountType: t })}
                />{' '}
                {t === 'personal' ? 'Personal' : 'Business'}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <Field
            label="First name"
            value={form.firstName}
            onChange={set('firstName')}
            autoComplete="given-name"
            required
          />
          <Field
            label="Last name"
            value={form.lastName}
            onChange={set('lastName')}
            autoComplete="family-name"
            required
          />
        </div>
        {form.accountType === 'business' ? (
          <Field
            label="Company name"
            value={form.companyName}
            onChange={set('companyName')}
            autoComplete="organization"
            required
          />
        ) : null}
        <Field label="Username" value={form.username} onChange={set('username')} autoComplete="username" required />
        <Field label="Email" type="email" value={form.email} onChange={set('email')} autoComplete="email" required />
        <Field
          label="Mobile phone"
          type="tel"
          value={form.phone}
          onChange={set('phone')}
          autoComplete="tel"
          hint="International form, e.g. +12025550123; used for text alerts."
        />
        <NewPasswordField
          value={password}
          onChange={setPassword}
          userInputs={[form.username, form.email.split('@')[0] ?? '', form.firstName, form.lastName]}
        />
        <AddressFields legend="Home or business address" value={address} onChange={setAddress} withName={false} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </Form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </div>
  );
}

export function VerifyEmailPage() {
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
      <PageTitle title="Verify your email">Verify your email</PageTitle>
      <Success>
        We sent a verification code to {email ? <strong>{email}</strong> : 'your email address'}. Enter it below.
      </Success>
      <ErrorSummary error={error} />
      <Form onSubmit={run} label="Verify email">
        <Field
          label="Username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="username"
          required
        />
        <Field
          label="Verification code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6,10}"
          required
        />
        <button type="submit" className="primary" disabled={busy}>
          Verify
        </button>
      </Form>
    </div>
  );
}
