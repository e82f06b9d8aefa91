import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../api/api-client';
import {
  ErrorSummary,
  Field,
  Form,
  Loading,
  OneFieldForm,
  PageTitle,
  ScrollTable,
  Select,
  Success,
  useAction,
  useLoad,
} from '../components/ui';
import { auditAction } from '../lib/audit-action';
import { dateTime, humanize } from '../lib/format';
import { useSessionUser } from '../session';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiSchemas } from '../api/types';

export type OrgSummary = ApiSchemas['OrgSummary'];

type OrgView = ApiSchemas['OrgView'];

type AuditEntry = ApiSchemas['AuditView'];

const ROLES = ['owner', 'admin', 'shipper', 'viewer'];
const MANAGERS = new Set(['owner', 'admin']);

/** A role's name in the page's language (an unknown one as the API writes it). */
function roleName(role: string, t: TFunction): string {
  return ROLES.includes(role) ? t(`org.role_${role}`) : humanize(role);
}

/** The header's "acting for" choice: the personal account or one of the caller's organisations. */
export function OrgSwitcher() {
  const { t } = useTranslation();
  const user = useSessionUser();
  const navigate = useNavigate();
  const orgs = useLoad(() => api.get<{ items: OrgSummary[] }>('/orgs'), [user?.userId, user?.org?.id]);
  const change = useAction(async (value: string) => {
    await api.switchOrg(value === '' ? null : value);
    void navigate('/org');
  });
  if (!user || !orgs.data || orgs.data.items.length === 0) return null;
  return (
    <div className="org-switcher">
      <label htmlFor="acting-for">{t('org.actingFor')}</label>
      <select
        id="acting-for"
        value={user.org?.id ?? ''}
        disabled={change.busy}
        onChange={(e) => void change.run(e.target.value)}
      >
        <option value="">{t('org.personalAccount')}</option>
        {orgs.data.items.map((o) => (
          <option key={o.id} value={o.id}>
            {t('org.nameAndRole', { name: o.name, role: roleName(o.role, t) })}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Organisations: the one acted for (members, invitations, roles, audit), or the list and a form to create one. */
export function OrgPage() {
  const user = useSessionUser();
  return user?.org ? <CurrentOrg key={user.org.id} /> : <MyOrgs />;
}

function MyOrgs() {
  const { t } = useTranslation();
  const orgs = useLoad(() => api.get<{ items: OrgSummary[] }>('/orgs'));
  const [name, setName] = useState('');
  const create = useAction(async () => {
    const org = await api.post<OrgSummary>('/orgs', { name });
    await api.switchOrg(org.id);
  });
  const act = useAction(async (id: string) => api.switchOrg(id));
  return (
    <>
      <PageTitle title={t('org.listTitle')}>{t('org.listTitle')}</PageTitle>
      <p>{t('org.personalIntro')}</p>
      <ErrorSummary error={orgs.error ?? act.error} />
      {orgs.loading ? <Loading what={t('org.loadingList')} /> : null}
      {orgs.data && orgs.data.items.length > 0 ? (
        <ul className="item-list">
          {orgs.data.items.map((o) => (
            <li key={o.id}>
              <span>
                <strong>{o.name}</strong> <span className="muted">({roleName(o.role, t)})</span>
              </span>
              <button type="button" onClick={() => void act.run(o.id)}>
                {t('org.actFor', { name: o.name })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <h2>{t('org.createTitle')}</h2>
      <ErrorSummary error={create.error} />
      <OneFieldForm
        label={t('org.createTitle')}
        onSubmit={() => create.run()}
        error={create.error}
        field={{
          name: 'name',
          label: t('common.name'),
          required: true,
          maxLength: 100,
          value: name,
          onChange: (e) => setName(e.target.value),
        }}
        submit={t('org.create')}
        busy={create.busy}
      />
    </>
  );
}

function CurrentOrg() {
  const { t } = useTranslation();
  const user = useSessionUser();
  const org = useLoad(() => api.get<OrgView>('/org'));
  const manages = org.data ? MANAGERS.has(org.data.role) : false;
  const isOwner = org.data?.role === 'owner';
  // The last owner cannot leave (the API answers 409): no button offers it.
  const lastOwner = isOwner && org.data?.members.filter((m) => m.role === 'owner').length === 1;
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('viewer');
  const [notice, setNotice] = useState('');
  const invite = useAction(async () => {
    await api.post('/org/invites', { email, role });
    setNotice(t('org.invited', { email }));
    setEmail('');
    org.reload();
  });
  const withdraw = useAction(async (id: string) => {
    await api.delete(`/org/invites/${encodeURIComponent(id)}`);
    org.reload();
  });
  const changeRole = useAction(async (userId: string, next: string) => {
    await api.patch(`/org/members/${encodeURIComponent(userId)}`, { role: next });
    setNotice(t('org.roleChanged'));
    org.reload();
  });
  const remove = useAction(async (userId: string) => {
    await api.delete(`/org/members/${encodeURIComponent(userId)}`);
    if (userId === user?.userId) await api.switchOrg(null);
    else org.reload();
  });
  const personal = useAction(async () => api.switchOrg(null));
  const actionError = invite.error ?? withdraw.error ?? changeRole.error ?? remove.error ?? personal.error;
  return (
    <>
      <PageTitle title={t('org.title')}>{org.data ? org.data.name : t('org.title')}</PageTitle>
      <ErrorSummary error={org.error ?? actionError} />
      {notice ? <Success>{notice}</Success> : null}
      {org.loading ? <Loading what={t('org.loading')} /> : null}
      {org.data ? (
        <>
          <p>
            <Trans
              i18nKey="org.actingAs"
              values={{ name: org.data.name, role: roleName(org.data.role, t) }}
              components={{ strong: <strong /> }}
            />{' '}
            <button type="button" className="link-button" onClick={() => void personal.run()}>
              {t('org.backToPersonal')}
            </button>
          </p>
          <h2 id="members-heading">{t('org.members')}</h2>
          <ScrollTable
            labelledBy="members-heading"
            columns={[t('org.member'), t('org.role'), t('org.joined'), t('org.actions')]}
          >
            {org.data.members.map((m) => {
              const editable = manages && (isOwner || m.role !== 'owner');
              return (
                <tr key={m.userId}>
                  <td>
                    {m.username}
                    <div className="muted">{m.email}</div>
                  </td>
                  <td>
                    {editable ? (
                      <select
                        aria-label={t('org.roleOf', { username: m.username })}
                        value={m.role}
                        onChange={(e) => void changeRole.run(m.userId, e.target.value)}
                      >
                        {ROLES.filter((r) => isOwner || r !== 'owner').map((r) => (
                          <option key={r} value={r}>
                            {roleName(r, t)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      roleName(m.role, t)
                    )}
                  </td>
                  <td>{dateTime(m.joinedAt)}</td>
                  <td>
                    {(editable || m.userId === user?.userId) && !(lastOwner && m.role === 'owner') ? (
                      <button type="button" onClick={() => void remove.run(m.userId)}>
                        {m.userId === user?.userId ? t('org.leave') : t('org.removeMember', { username: m.username })}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </ScrollTable>
          {manages ? (
            <>
              <h2>{t('org.inviteTitle')}</h2>
              <Form label={t('org.inviteTitle')} onSubmit={() => invite.run()} error={invite.error}>
                <Field
                  name="email"
                  label={t('common.email')}
                  type="email"
                  required
                  maxLength={254}
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  hint={t('org.inviteHint')}
                />
                <Select
                  label={t('org.role')}
                  value={role}
                  onChange={setRole}
                  options={ROLES.filter((r) => isOwner || r !== 'owner').map((r) => ({
                    value: r,
                    label: roleName(r, t),
                  }))}
                />
                <button type="submit" disabled={invite.busy}>
                  {t('org.sendInvitation')}
                </button>
              </Form>
              <h2>{t('org.openInvitations')}</h2>
              {org.data.invites && org.data.invites.length > 0 ? (
                <ul className="item-list">
                  {org.data.invites.map((i) => (
                    <li key={i.id}>
                      <span>
                        <Trans
                          i18nKey="org.invitation"
                          values={{ email: i.email, role: roleName(i.role, t), until: dateTime(i.expiresAt) }}
                          components={{ muted: <span className="muted" /> }}
                        />
                      </span>
                      <button type="button" onClick={() => void withdraw.run(i.id)}>
                        {t('org.withdraw', { email: i.email })}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">{t('org.noInvitations')}</p>
              )}
              <AuditLog after={org.data} />
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}

/** The newest audit lines, read again whenever the organisation (`after`) was. */
function AuditLog({ after }: { after: unknown }) {
  const { t } = useTranslation();
  const audit = useLoad(() => api.get<{ items: AuditEntry[] }>('/org/audit?limit=20'), [after]);
  return (
    <>
      <h2 id="audit-heading">{t('org.auditTitle')}</h2>
      <ErrorSummary error={audit.error} />
      {audit.data ? (
        <ScrollTable
          labelledBy="audit-heading"
          columns={[t('org.auditWhen'), t('org.auditWho'), t('org.auditWhat'), t('org.auditFrom')]}
        >
          {audit.data.items.map((e) => (
            <tr key={e.id}>
              <td>{dateTime(e.at)}</td>
              <td>{e.actor.username}</td>
              <td>
                {auditAction(e.action, t)}
                {e.target ? <span className="muted"> {e.target}</span> : null}
              </td>
              <td>
                {e.ip ?? '—'}
                <div className="muted">{e.userAgent ?? ''}</div>
              </td>
            </tr>
          ))}
        </ScrollTable>
      ) : null}
    </>
  );
}

/** The invitation link's page: `#token=…` (a fragment, never sent to a server); sign in first, then accept. */
export function AcceptInvitePage() {
  const { t } = useTranslation();
  const user = useSessionUser();
  const location = useLocation();
  const navigate = useNavigate();
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  const [joined, setJoined] = useState<OrgSummary | null>(null);
  const accept = useAction(async () => {
    const org = await api.post<OrgSummary>('/orgs/invites/accept', { token });
    setJoined(org);
  });
  const act = useAction(async () => {
    if (!joined) return;
    await api.switchOrg(joined.id);
    void navigate('/org');
  });
  const next = encodeURIComponent(`/org/accept${location.hash}`);
  return (
    <>
      <PageTitle title={t('org.inviteTitlePage')}>{t('org.joinHeading')}</PageTitle>
      {!token ? <p>{t('org.linkIncomplete')}</p> : null}
      {token && !user ? (
        <p>
          <Trans
            i18nKey="org.signInFirst"
            components={{ login: <Link to={`/login?next=${next}`} />, signup: <Link to="/signup" /> }}
          />
        </p>
      ) : null}
      {token && user && !joined ? (
        <>
          <ErrorSummary error={accept.error} />
          <p>{t('org.invitedAs', { username: user.username })}</p>
          <button type="button" disabled={accept.busy} onClick={() => void accept.run()}>
            {t('org.accept')}
          </button>
        </>
      ) : null}
      {joined ? (
        <>
          <Success>{t('org.youJoined', { name: joined.name, role: roleName(joined.role, t) })}</Success>
          <ErrorSummary error={act.error} />
          <button type="button" onClick={() => void act.run()}>
            {t('org.actFor', { name: joined.name })}
          </button>
        </>
      ) : null}
    </>
  );
}
