import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../api/api-client';
import { ErrorSummary, Field, Form, Loading, PageTitle, Select, Success, useAction, useLoad } from '../components/ui';
import { dateTime, humanize } from '../lib/format';
import { useSessionUser } from '../session';

export interface OrgSummary {
  id: string;
  name: string;
  role: string;
}

interface Member {
  userId: string;
  username: string;
  email: string;
  role: string;
  joinedAt: string;
}

interface Invite {
  id: string;
  email: string;
  role: string;
  invitedBy: string;
  expiresAt: string;
}

interface OrgView extends OrgSummary {
  members: Member[];
  invites?: Invite[];
}

interface AuditEntry {
  id: string;
  at: string;
  actor: { username: string };
  action: string;
  target?: string;
  ip: string | null;
  userAgent: string | null;
}

const ROLES = ['owner', 'admin', 'shipper', 'viewer'];
const MANAGERS = new Set(['owner', 'admin']);

/** The header's "acting for" choice: the personal account or one of the caller's organisations. */
export function OrgSwitcher() {
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
      <label htmlFor="acting-for">Acting for</label>
      <select
        id="acting-for"
        value={user.org?.id ?? ''}
        disabled={change.busy}
        onChange={(e) => void change.run(e.target.value)}
      >
        <option value="">Personal account</option>
        {orgs.data.items.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.role})
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
  const orgs = useLoad(() => api.get<{ items: OrgSummary[] }>('/orgs'));
  const [name, setName] = useState('');
  const create = useAction(async () => {
    const org = await api.post<OrgSummary>('/orgs', { name });
    await api.switchOrg(org.id);
  });
  const act = useAction(async (id: string) => api.switchOrg(id));
  return (
    <>
      <PageTitle title="Organisations">Organisations</PageTitle>
      <p>You are acting for your personal account. Labels, pickups and addresses you make now are yours alone.</p>
      <ErrorSummary error={orgs.error ?? act.error} />
      {orgs.loading ? <Loading what="your organisations" /> : null}
      {orgs.data && orgs.data.items.length > 0 ? (
        <ul className="item-list">
          {orgs.data.items.map((o) => (
            <li key={o.id}>
              <span>
                <strong>{o.name}</strong> <span className="muted">({humanize(o.role)})</span>
              </span>
              <button type="button" onClick={() => void act.run(o.id)}>
                Act for {o.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <h2>Create an organisation</h2>
      <ErrorSummary error={create.error} />
      <Form label="Create an organisation" onSubmit={() => create.run()}>
        <Field label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={create.busy}>
          Create
        </button>
      </Form>
    </>
  );
}

function CurrentOrg() {
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
    setNotice(`Invitation sent to ${email}.`);
    setEmail('');
    org.reload();
  });
  const withdraw = useAction(async (id: string) => {
    await api.delete(`/org/invites/${encodeURIComponent(id)}`);
    org.reload();
  });
  const changeRole = useAction(async (userId: string, next: string) => {
    await api.patch(`/org/members/${encodeURIComponent(userId)}`, { role: next });
    setNotice('Role changed.');
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
      <PageTitle title="Organisation">{org.data ? org.data.name : 'Organisation'}</PageTitle>
      <ErrorSummary error={org.error ?? actionError} />
      {notice ? <Success>{notice}</Success> : null}
      {org.loading ? <Loading what="the organisation" /> : null}
      {org.data ? (
        <>
          <p>
            You act for {org.data.name} as <strong>{humanize(org.data.role)}</strong>. Labels, pickups and addresses are
            the organisation&apos;s.{' '}
            <button type="button" className="link-button" onClick={() => void personal.run()}>
              Back to my personal account
            </button>
          </p>
          <h2 id="members-heading">Members</h2>
          <div className="table-wrap" role="region" aria-labelledby="members-heading" tabIndex={0}>
            <table aria-labelledby="members-heading">
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
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
                            aria-label={`Role of ${m.username}`}
                            value={m.role}
                            onChange={(e) => void changeRole.run(m.userId, e.target.value)}
                          >
                            {ROLES.filter((r) => isOwner || r !== 'owner').map((r) => (
                              <option key={r} value={r}>
                                {humanize(r)}
                              </option>
                            ))}
                          </select>
                        ) : (
                          humanize(m.role)
                        )}
                      </td>
                      <td>{dateTime(m.joinedAt)}</td>
                      <td>
                        {(editable || m.userId === user?.userId) && !(lastOwner && m.role === 'owner') ? (
                          <button type="button" onClick={() => void remove.run(m.userId)}>
                            {m.userId === user?.userId ? 'Leave' : `Remove ${m.username}`}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {manages ? (
            <>
              <h2>Invite someone</h2>
              <Form label="Invite someone" onSubmit={() => invite.run()}>
                <Field
                  label="Email"
                  type="email"
                  required
                  maxLength={254}
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  hint="They get a link that works once, for 7 days."
                />
                <Select
                  label="Role"
                  value={role}
                  onChange={setRole}
                  options={ROLES.filter((r) => isOwner || r !== 'owner').map((r) => ({ value: r, label: humanize(r) }))}
                />
                <button type="submit" disabled={invite.busy}>
                  Send invitation
                </button>
              </Form>
              <h2>Open invitations</h2>
              {org.data.invites && org.data.invites.length > 0 ? (
                <ul className="item-list">
                  {org.data.invites.map((i) => (
                    <li key={i.id}>
                      <span>
                        {i.email} as {humanize(i.role)} <span className="muted">until {dateTime(i.expiresAt)}</span>
                      </span>
                      <button type="button" onClick={() => void withdraw.run(i.id)}>
                        Withdraw invitation to {i.email}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">None.</p>
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
  const audit = useLoad(() => api.get<{ items: AuditEntry[] }>('/org/audit?limit=20'), [after]);
  return (
    <>
      <h2 id="audit-heading">Audit log</h2>
      <ErrorSummary error={audit.error} />
      {audit.data ? (
        <div className="table-wrap" role="region" aria-labelledby="audit-heading" tabIndex={0}>
          <table aria-labelledby="audit-heading">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.items.map((e) => (
                <tr key={e.id}>
                  <td>{dateTime(e.at)}</td>
                  <td>{e.actor.username}</td>
                  <td>
                    {e.action}
                    {e.target ? <span className="muted"> {e.target}</span> : null}
                  </td>
                  <td>
                    {e.ip ?? '—'}
                    <div className="muted">{e.userAgent ?? ''}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** The invitation link's page: `#token=…` (a fragment, never sent to a server); sign in first, then accept. */
export function AcceptInvitePage() {
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
      <PageTitle title="Invitation">Join an organisation</PageTitle>
      {!token ? <p>This invitation link is incomplete: open the link from the email again.</p> : null}
      {token && !user ? (
        <p>
          <Link to={`/login?next=${next}`}>Log in</Link> or <Link to="/signup">sign up</Link> with the invited email
          address (and verify it) first, then open the link again.
        </p>
      ) : null}
      {token && user && !joined ? (
        <>
          <ErrorSummary error={accept.error} />
          <p>You were invited to join an organisation as {user.username}.</p>
          <button type="button" disabled={accept.busy} onClick={() => void accept.run()}>
            Accept the invitation
          </button>
        </>
      ) : null}
      {joined ? (
        <>
          <Success>
            You joined {joined.name} as {humanize(joined.role)}.
          </Success>
          <ErrorSummary error={act.error} />
          <button type="button" onClick={() => void act.run()}>
            Act for {joined.name}
          </button>
        </>
      ) : null}
    </>
  );
}
