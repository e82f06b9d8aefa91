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
import {
  ErrorSummary,
  Field,
  Form,
  Loading,
  OneFieldForm,
  PageTitle,
  Select,
  Success,
  useAction,
  useLoad,
} from '../components/ui';
import { dateTime } from '../lib/format';
import { describeUserAgent } from '../lib/user-agent';
import { Trans, useTranslation } from 'react-i18next';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '@app/contracts/i18n/languages';
import { chooseLanguage, currentLanguage } from '../i18n/i18n';
import type { ApiSchemas } from '../api/types';

export type AddressView = ApiSchemas['AddressView'];

type ProfileView = ApiSchemas['ProfileView'];

function ProfileForm({ profile, onSaved }: { profile: ProfileView; onSaved: () => void }) {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<Language>(profile.language ?? currentLanguage());
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
    // The account's language: its emails, texts and notices, and this page.
    if (language !== profile.language) changes.language = language;
    await api.patch('/me', passwordNeeded ? { ...changes, currentPassword } : changes);
    if (language !== currentLanguage()) await chooseLanguage(language);
    setCurrentPassword('');
    setSaved(true);
    onSaved();
  });
  return (
    <section className="panel" aria-labelledby="profile-title">
      <h2 id="profile-title">{t('profile.profile')}</h2>
      <p>
        {profile.accountType === 'business' ? (
          <Trans
            i18nKey="profile.usernameBusiness"
            values={{ username: profile.username }}
            components={{ strong: <strong /> }}
          />
        ) : (
          <Trans
            i18nKey="profile.usernamePersonal"
            values={{ username: profile.username }}
            components={{ strong: <strong /> }}
          />
        )}
      </p>
      {saved ? <Success>{t('profile.saved')}</Success> : null}
      <ErrorSummary error={save.error} />
      <Form onSubmit={save.run} label={t('profile.profile')} error={save.error}>
        <div className="row">
          <Field
            label={t('signup.firstName')}
            value={form.firstName}
            onChange={(e) => setForm({ ...form, firstName: e.target.value })}
            name="firstName"
            required
          />
          <Field
            label={t('signup.lastName')}
            value={form.lastName}
            onChange={(e) => setForm({ ...form, lastName: e.target.value })}
            name="lastName"
            required
          />
        </div>
        <Field
          label={t('common.email')}
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          name="email"
          required
          hint={profile.emailVerified ? t('profile.verified') : t('profile.notVerified')}
        />
        <Field
          label={t('signup.phone')}
          type="tel"
          value={form.phone}
          onChange={(e) => setForm({ ...form, phone: e.target.value })}
          name="phone"
          hint={
            profile.phone
              ? profile.phoneVerified
                ? t('profile.verified')
                : t('profile.notVerified')
              : t('profile.phoneHint')
          }
        />
        {passwordNeeded ? (
          <Field
            label={t('profile.currentPassword')}
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.target.value)}
            name="currentPassword"
            required
            hint={emailChanging ? t('profile.passwordForEmail') : t('profile.passwordForPhone')}
          />
        ) : null}
        {profile.accountType === 'business' ? (
          <Field
            label={t('signup.company')}
            value={form.companyName}
            onChange={(e) => setForm({ ...form, companyName: e.target.value })}
            name="companyName"
          />
        ) : null}
        <Select
          label={t('profile.language')}
          name="language"
          value={language}
          onChange={(value) => isLanguage(value) && setLanguage(value)}
          options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
        />
        <button type="submit" className="primary" disabled={save.busy}>
          {t('profile.save')}
        </button>
      </Form>
      <p>
        <Link to="/preferences">{t('preferences.title')}</Link>
      </p>
    </section>
  );
}

function AddressItem({ address, onChanged }: { address: AddressView; onChanged: (message?: string) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const letter = useAction(async () => {
    await api.post(`/me/addresses/${address.id}/verification-letter`);
    onChanged(t('profile.letterSent'));
  });
  const verify = useAction(async () => {
    await api.post(`/me/addresses/${address.id}/verify`, { code: code.trim() });
    onChanged(t('profile.addressVerified'));
  });
  const remove = useAction(async () => {
    await api.delete(`/me/addresses/${address.id}`);
    onChanged(t('profile.addressRemoved'));
  });
  return (
    <li>
      <div>
        <strong>{address.label ?? t('profile.address')}</strong>
        {address.isDefault ? <span className="badge">{t('profile.default')}</span> : null}{' '}
        {address.verified ? <span className="badge badge-delivered">{t('profile.verified')}</span> : null}
        <div>{formatAddress(address)}</div>
        <ErrorSummary error={letter.error ?? verify.error ?? remove.error} />
        {!address.verified && address.verificationPending ? (
          <OneFieldForm
            onSubmit={verify.run}
            label={t('profile.verifyOf', { line1: address.line1 })}
            field={{
              label: t('profile.letterCode'),
              value: code,
              onChange: (e) => setCode(e.target.value),
              required: true,
            }}
            submit={t('profile.verifyAddress')}
            busy={verify.busy}
          />
        ) : null}
      </div>
      <div className="actions">
        {!address.verified && !address.verificationPending ? (
          <button type="button" onClick={() => void letter.run()} disabled={letter.busy}>
            {t('profile.sendLetter')}
          </button>
        ) : null}
        <button
          type="button"
          className="danger"
          onClick={() => void remove.run()}
          aria-label={t('profile.removeOf', { line1: address.line1 })}
        >
          {t('common.remove')}
        </button>
      </div>
    </li>
  );
}

function AddressBook() {
  const { t } = useTranslation();
  const list = useLoad(() => api.get<{ items: AddressView[] }>('/me/addresses'));
  const title = useRef<HTMLHeadingElement>(null);
  const [draft, setDraft] = useState<AddressValue>(EMPTY_ADDRESS);
  const [label, setLabel] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const add = useAction(async () => {
    await api.post('/me/addresses', { ...cleanAddress(draft), ...(label.trim() ? { label: label.trim() } : {}) });
    setDraft(EMPTY_ADDRESS);
    setLabel('');
    setNotice(t('profile.addressAdded'));
    list.reload();
  });
  return (
    <section className="panel" aria-labelledby="addresses-title">
      <h2 id="addresses-title" ref={title} tabIndex={-1}>
        {t('profile.addressBook')}
      </h2>
      {notice ? <Success>{notice}</Success> : null}
      <ErrorSummary error={list.error} />
      {list.loading ? <Loading what={t('profile.loadingAddresses')} /> : null}
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
      <Form onSubmit={add.run} label={t('profile.addForm')} error={add.error}>
        <Field
          label={t('profile.label')}
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          name="label"
          hint={t('profile.labelHint')}
          maxLength={60}
        />
        <AddressFields legend={t('profile.newAddress')} value={draft} onChange={setDraft} field="" />
        <button type="submit" disabled={add.busy}>
          {t('profile.addAddress')}
        </button>
      </Form>
    </section>
  );
}

function Security({ profile, onChanged }: { profile: ProfileView; onChanged: () => void }) {
  const { t } = useTranslation();
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
    setNotice(t('profile.mfaOff'));
    onChanged();
  });
  const navigate = useNavigate();
  const change = useAction(async () => {
    await api.post('/me/password', { currentPassword: current, newPassword: next });
    // The change signs out every session, this one included: the login page says so, forgets this tab's session
    // and asks for the new password. Forgetting it here would race the navigation: the route change is a React
    // transition, and a session cleared before it commits re-renders this page signed out, whose redirect wins.
    await navigate(`/login?changed=1&username=${encodeURIComponent(profile.username)}`, { replace: true });
  });
  return (
    <section className="panel" aria-labelledby="security-title">
      <h2 id="security-title">{t('profile.security')}</h2>
      {notice ? <Success>{notice}</Success> : null}
      <h3>{t('login.mfaHeading')}</h3>
      <ErrorSummary error={start.error ?? enable.error ?? disable.error} />
      {recoveryCodes ? (
        <Success>
          {t('profile.recoveryCodes')}
          <ul className="mono">
            {recoveryCodes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </Success>
      ) : null}
      {profile.mfaEnabled ? (
        <Form onSubmit={disable.run} label={t('profile.mfaDisableForm')}>
          <p>{t('profile.mfaOn')}</p>
          <Field
            label={t('profile.currentPassword')}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          <Field
            label={t('profile.appOrRecoveryCode')}
            value={disableCode}
            onChange={(e) => setDisableCode(e.target.value)}
            autoComplete="one-time-code"
            required
          />
          <button type="submit" className="danger" disabled={disable.busy}>
            {t('profile.turnOff')}
          </button>
        </Form>
      ) : setup ? (
        <Form onSubmit={enable.run} label={t('profile.mfaConfirmForm')}>
          <p>
            <Trans
              i18nKey="profile.mfaKey"
              values={{ secret: setup.secret }}
              components={{ code: <code className="secret" /> }}
            />
          </p>
          <p>
            <a href={setup.otpauthUri}>{t('profile.openApp')}</a>
          </p>
          <Field
            label={t('profile.appCode')}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            required
          />
          <Field
            label={t('profile.currentPassword')}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          <button type="submit" className="primary" disabled={enable.busy}>
            {t('profile.turnOn')}
          </button>
        </Form>
      ) : (
        <button type="button" onClick={() => void start.run()} disabled={start.busy}>
          {t('profile.mfaSetUp')}
        </button>
      )}
      <h3>{t('login.changePassword')}</h3>
      <ErrorSummary error={change.error} />
      <Form onSubmit={change.run} label={t('login.changePassword')} error={change.error}>
        <Field
          label={t('profile.currentPassword')}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          name="currentPassword"
          required
        />
        <NewPasswordField
          name="newPassword"
          label={t('login.newPassword')}
          value={next}
          onChange={setNext}
          userInputs={[profile.username, profile.firstName, profile.lastName]}
        />
        <button type="submit" disabled={change.busy}>
          {t('login.changePassword')}
        </button>
      </Form>
    </section>
  );
}

type SessionView = ApiSchemas['SessionView'];

function Sessions() {
  const { t } = useTranslation();
  const list = useLoad(() => api.get<{ items: SessionView[] }>('/auth/sessions?limit=100'));
  const [notice, setNotice] = useState<string | null>(null);
  const title = useRef<HTMLHeadingElement>(null);
  const revoke = useAction(async (session: SessionView) => {
    await api.delete(`/auth/sessions/${encodeURIComponent(session.id)}`);
    setNotice(
      t('profile.signedOut', { device: describeUserAgent(session.userAgent), date: dateTime(session.createdAt) }),
    );
    // Its button is gone: keep the keyboard in this panel rather than lose focus to the page.
    title.current?.focus();
    list.reload();
  });
  return (
    <section className="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title" ref={title} tabIndex={-1}>
        {t('profile.sessions')}
      </h2>
      <p className="muted">{t('profile.sessionsIntro')}</p>
      {notice ? <Success>{notice}</Success> : null}
      <ErrorSummary error={list.error ?? revoke.error} />
      {list.loading ? <Loading what={t('profile.loadingSessions')} /> : null}
      <ul className="item-list">
        {list.data?.items.map((s) => (
          <li key={s.id}>
            <div>
              <strong>{describeUserAgent(s.userAgent)}</strong>
              {s.current ? <span className="badge">{t('profile.thisDevice')}</span> : null}
              <div className="muted">
                {t('profile.sessionTimes', { created: dateTime(s.createdAt), lastUsed: dateTime(s.lastUsedAt) })}
              </div>
            </div>
            {s.current ? null : (
              <button
                type="button"
                className="danger"
                onClick={() => void revoke.run(s)}
                disabled={revoke.busy}
                aria-label={t('profile.signOutOf', {
                  device: describeUserAgent(s.userAgent),
                  date: dateTime(s.createdAt),
                })}
              >
                {t('profile.signOut')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ProfilePage() {
  const { t } = useTranslation();
  const profile = useLoad(() => api.get<ProfileView>('/me'));
  return (
    <>
      <PageTitle title={t('profile.profile')}>{t('profile.heading')}</PageTitle>
      <ErrorSummary error={profile.error} />
      {profile.loading ? <Loading what={t('profile.loadingProfile')} /> : null}
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
