import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/api-client';
import {
  AddressFields,
  cleanAddress,
  EMPTY_ADDRESS,
  formatAddress,
  type AddressValue,
} from '../components/address-fields';
import { NewPasswordField } from '../components/password-field';
import { ErrorSummary, Field, Form, Loading, PageTitle, Success, useAction, useLoad } from '../components/ui';
import { dateTime } from '../lib/format';
import { describeUserAgent } from '../lib/user-agent';

export interface AddressView extends AddressValue {
  id: string;
  label?: string;
  isDefault: boolean;
  verified: boolean;
  verificationPending: boolean;
}

interface ProfileView {
  username: string;
  email: string;
  emailVerified: boolean;
  phone?: string;
  phoneVerified: boolean;
  firstName: string;
  lastName: string;
  accountType: string;
  companyName?: string;
  mfaEnabled: boolean;
}

function ProfileForm({ profile, onSaved }: { profile: ProfileView; onSaved: () => void }) {
  const [form, setForm] = useState({
    firstName: profile.firstName,
    lastName: profile.lastName,
    email: profile.email,
    phone: profile.phone ?? '',
    companyName: profile.companyName ?? '',
  });
  const [currentPassword, setCurrentPassword] = useState('');
  const [saved, setSaved] = useState(false);
  const emailChanging = form.email.trim().toLowerCase() !== profile.email.toLowerCase();
  const phoneChanging = form.phone.trim() !== '' && form.phone.trim() !== (profile.phone ?? '');
  // The API asks for the password again before either change: a stolen session must not be enough.
  const passwordNeeded = emailChanging || phoneChanging;
  const save = useAction(async () => {
    const changes = Object.fromEntries(
      Object.entries(form)
        .map(([k, v]) => [k, v.trim()] as const)
        .filter(([k, v]) => v !== '' && v !== ((profile as unknown as Record<string, string | undefined>)[k] ?? '')),
    );
    await api.patch('/me', passwordNeeded ? { ...changes, currentPassword } : changes);
    setCurrentPassword('');
    setSaved(true);
    onSaved();
  });
  return (
    <section className="panel" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <p>
        Username <strong>{profile.username}</strong> · {profile.accountType} account
      </p>
      {saved ? <Success>Profile saved.</Success> : null}
      <ErrorSummary error={save.error} />
      <Form onSubmit={save.run} label="Profile">
        <div className="row">
          <Field
            label="First name"
            value={form.firstName}
            onChange={(e) => setForm({ ...form, firstName: e.target.value })}
            required
          />
          <Field
            label="Last name"
            value={form.lastName}
            onChange={(e) => setForm({ ...form, lastName: e.target.value })}
            required
          />
        </div>
        <Field
          label="Email"
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          required
          hint={profile.emailVerified ? 'Verified' : 'Not verified yet'}
        />
        <Field
          label="Mobile phone"
          type="tel"
          value={form.phone}
          onChange={(e) => setForm({ ...form, phone: e.target.value })}
          hint={
            profile.phone
              ? profile.phoneVerified
                ? 'Verified'
                : 'Not verified yet'
              : 'International form, e.g. +12025550123'
          }
        />
        {passwordNeeded ? (
          <Field
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.target.value)}
            required
            hint={
              emailChanging
                ? 'Needed to change the email address or phone; the old address is told of the change.'
                : 'Needed to change the phone number; your email address is told of the change.'
            }
          />
        ) : null}
        {profile.accountType === 'business' ? (
          <Field
            label="Company name"
            value={form.companyName}
            onChange={(e) => setForm({ ...form, companyName: e.target.value })}
          />
        ) : null}
        <button type="submit" className="primary" disabled={save.busy}>
          Save profile
        </button>
      </Form>
      <p>
        <Link to="/preferences">Notification preferences</Link>
      </p>
    </section>
  );
}

function AddressItem({ address, onChanged }: { address: AddressView; onChanged: (message?: string) => void }) {
  const [code, setCode] = useState('');
  const letter = useAction(async () => {
    await api.post(`/me/addresses/${address.id}/verification-letter`);
    onChanged('A letter with a verification code is on its way to that address.');
  });
  const verify = useAction(async () => {
    await api.post(`/me/addresses/${address.id}/verify`, { code: code.trim() });
    onChanged('Address verified: parcels addressed to it now show on your dashboard.');
  });
  const remove = useAction(async () => {
    await api.delete(`/me/addresses/${address.id}`);
    onChanged('Address removed.');
  });
  return (
    <li>
      <div>
        <strong>{address.label ?? 'Address'}</strong>
        {address.isDefault ? <span className="badge">Default</span> : null}{' '}
        {address.verified ? <span className="badge badge-delivered">Verified</span> : null}
        <div>{formatAddress(address)}</div>
        <ErrorSummary error={letter.error ?? verify.error ?? remove.error} />
        {!address.verified && address.verificationPending ? (
          <Form onSubmit={verify.run} label={`Verify ${address.line1}`}>
            <Field label="Code from the letter" value={code} onChange={(e) => setCode(e.target.value)} required />
            <button type="submit" disabled={verify.busy}>
              Verify address
            </button>
          </Form>
        ) : null}
      </div>
      <div className="actions">
        {!address.verified && !address.verificationPending ? (
          <button type="button" onClick={() => void letter.run()} disabled={letter.busy}>
            Send verification letter
          </button>
        ) : null}
        <button
          type="button"
          className="danger"
          onClick={() => void remove.run()}
          aria-label={`Remove address ${address.line1}`}
        >
          Remove
        </button>
      </div>
    </li>
  );
}

function AddressBook() {
  const list = useLoad(() => api.get<{ items: AddressView[] }>('/me/addresses'));
  const title = useRef<HTMLHeadingElement>(null);
  const [draft, setDraft] = useState<AddressValue>(EMPTY_ADDRESS);
  const [label, setLabel] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const add = useAction(async () => {
    await api.post('/me/addresses', { ...cleanAddress(draft), ...(label.trim() ? { label: label.trim() } : {}) });
    setDraft(EMPTY_ADDRESS);
    setLabel('');
    setNotice('Address added.');
    list.reload();
  });
  return (
    <section className="panel" aria-labelledby="addresses-title">
      <h2 id="addresses-title" ref={title} tabIndex={-1}>
        Address book
      </h2>
      {notice ? <Success>{notice}</Success> : null}
      <ErrorSummary error={list.error} />
      {list.loading ? <Loading what="addresses" /> : null}
      <ul className="item-list">
        {list.data?.items.map((a) => (
          <AddressItem
            key={`${a.id}-${a.verified}-${a.verificationPending}`}
            address={a}
            onChanged={(message) => {
              setNotice(message ?? null);
              // The item (and the focused button) is replaced: keep the keyboard in this panel.
              title.current?.focus();
              list.reload();
            }}
          />
        ))}
      </ul>
      <ErrorSummary error={add.error} />
      <Form onSubmit={add.run} label="Add an address">
        <Field
          label="Label"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          hint="e.g. Home, Office"
          maxLength={60}
        />
        <AddressFields legend="New address" value={draft} onChange={setDraft} />
        <button type="submit" disabled={add.busy}>
          Add address
        </button>
      </Form>
    </section>
  );
}

function Security({ profile, onChanged }: { profile: ProfileView; onChanged: () => void }) {
  const [setup, setSetup] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [password, setPassword] = useState('');
  const [disableCode, setDisableCode] = useState('');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const start = useAction(async () => setSetup(await api.post('/auth/mfa/totp/setup')));
  const enable = useAction(async () => {
    const result = await api.post<{ recoveryCodes: string[] }>('/auth/mfa/totp/enable', {
      code: code.trim(),
      currentPassword: password,
    });
    setPassword('');
    setRecoveryCodes(result.recoveryCodes);
    setSetup(null);
    onChanged();
  });
  const disable = useAction(async () => {
    await api.post('/auth/mfa/totp/disable', { currentPassword: password, code: disableCode.trim() });
    setPassword('');
    setDisableCode('');
    setNotice('Two-step verification is off.');
    onChanged();
  });
  const navigate = useNavigate();
  const change = useAction(async () => {
    await api.post('/me/password', { currentPassword: current, newPassword: next });
    // The change signs out every session, this one included: say so and ask for the new password.
    await navigate(`/login?changed=1&username=${encodeURIComponent(profile.username)}`, { replace: true });
    await api.logout().catch(() => undefined);
  });
  return (
    <section className="panel" aria-labelledby="security-title">
      <h2 id="security-title">Security</h2>
      {notice ? <Success>{notice}</Success> : null}
      <h3>Two-step verification</h3>
      <ErrorSummary error={start.error ?? enable.error ?? disable.error} />
      {recoveryCodes ? (
        <Success>
          Two-step verification is on. Keep these recovery codes somewhere safe; each works once:
          <ul className="mono">
            {recoveryCodes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </Success>
      ) : null}
      {profile.mfaEnabled ? (
        <Form onSubmit={disable.run} label="Turn off two-step verification">
          <p>Two-step verification is on.</p>
          <Field
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          <Field
            label="Code from the app, or a recovery code"
            value={disableCode}
            onChange={(e) => setDisableCode(e.target.value)}
            autoComplete="one-time-code"
            required
          />
          <button type="submit" className="danger" disabled={disable.busy}>
            Turn off
          </button>
        </Form>
      ) : setup ? (
        <Form onSubmit={enable.run} label="Confirm two-step verification">
          <p>
            Add this key to your authenticator app, then enter the 6-digit code it shows. Key:{' '}
            <code className="secret">{setup.secret}</code>
          </p>
          <p>
            <a href={setup.otpauthUri}>Open in an authenticator app on this device</a>
          </p>
          <Field
            label="Code from the app"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            required
          />
          <Field
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          <button type="submit" className="primary" disabled={enable.busy}>
            Turn on
          </button>
        </Form>
      ) : (
        <button type="button" onClick={() => void start.run()} disabled={start.busy}>
          Set up two-step verification
        </button>
      )}
      <h3>Change password</h3>
      <ErrorSummary error={change.error} />
      <Form onSubmit={change.run} label="Change password">
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          required
        />
        <NewPasswordField
          label="New password"
          value={next}
          onChange={setNext}
          userInputs={[profile.username, profile.firstName, profile.lastName]}
        />
        <button type="submit" disabled={change.busy}>
          Change password
        </button>
      </Form>
    </section>
  );
}

interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent?: string;
  current: boolean;
}

function Sessions() {
  const list = useLoad(() => api.get<{ items: SessionView[] }>('/auth/sessions?limit=100'));
  const [notice, setNotice] = useState<string | null>(null);
  const title = useRef<HTMLHeadingElement>(null);
  const revoke = useAction(async (session: SessionView) => {
    await api.delete(`/auth/sessions/${encodeURIComponent(session.id)}`);
    setNotice(`Signed out ${describeUserAgent(session.userAgent)} (logged in ${dateTime(session.createdAt)}).`);
    // Its button is gone: keep the keyboard in this panel rather than lose focus to the page.
    title.current?.focus();
    list.reload();
  });
  return (
    <section className="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title" ref={title} tabIndex={-1}>
        Sessions
      </h2>
      <p className="muted">
        Where your account is logged in. Sign out any you do not recognise, then change your password.
      </p>
      {notice ? <Success>{notice}</Success> : null}
      <ErrorSummary error={list.error ?? revoke.error} />
      {list.loading ? <Loading what="sessions" /> : null}
      <ul className="item-list">
        {list.data?.items.map((s) => (
          <li key={s.id}>
            <div>
              <strong>{describeUserAgent(s.userAgent)}</strong>
              {s.current ? <span className="badge">This device</span> : null}
              <div className="muted">
                logged in {dateTime(s.createdAt)} · last active {dateTime(s.lastUsedAt)}
              </div>
            </div>
            {s.current ? null : (
              <button
                type="button"
                className="danger"
                onClick={() => void revoke.run(s)}
                disabled={revoke.busy}
                aria-label={`Sign out ${describeUserAgent(s.userAgent)}, logged in ${dateTime(s.createdAt)}`}
              >
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ProfilePage() {
  const profile = useLoad(() => api.get<ProfileView>('/me'));
  return (
    <>
      <PageTitle title="Profile">Profile and security</PageTitle>
      <ErrorSummary error={profile.error} />
      {profile.loading ? <Loading what="your profile" /> : null}
      {profile.data ? (
        <div className="grid">
          <ProfileForm key={JSON.stringify(profile.data)} profile={profile.data} onSaved={profile.reload} />
          <AddressBook />
          <Security profile={profile.data} onChanged={profile.reload} />
          <Sessions />
        </div>
      ) : null}
    </>
  );
}
