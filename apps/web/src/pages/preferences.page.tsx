import { useState } from 'react';
import { api } from '../api/api-client';
import { ErrorSummary, Form, Loading, PageTitle, Success, useAction, useLoad } from '../components/ui';
import { humanize } from '../lib/format';

type Preferences = Record<string, string[]>;
const CHANNELS = ['email', 'sms', 'in_app'] as const;
const CHANNEL_LABELS: Record<string, string> = { email: 'Email', sms: 'Text message', in_app: 'Inbox' };

export function PreferencesPage() {
  const loaded = useLoad(() => api.get<Preferences>('/notifications/preferences'));
  const [draft, setDraft] = useState<Preferences | null>(null);
  const [saved, setSaved] = useState(false);
  const prefs = draft ?? loaded.data;
  const save = useAction(async () => {
    if (!prefs) return;
    setDraft(await api.put<Preferences>('/notifications/preferences', prefs));
    setSaved(true);
  });
  const toggle = (kind: string, channel: string) => {
    if (!prefs) return;
    setSaved(false);
    const current = prefs[kind] ?? [];
    setDraft({
      ...prefs,
      [kind]: current.includes(channel) ? current.filter((c) => c !== channel) : [...current, channel],
    });
  };
  return (
    <>
      <PageTitle title="Notification preferences">Notification preferences</PageTitle>
      <p>Choose how we tell you about each kind of news. Security messages always go by email.</p>
      {saved ? <Success>Preferences saved.</Success> : null}
      <ErrorSummary error={loaded.error ?? save.error} />
      {loaded.loading ? <Loading what="preferences" /> : null}
      {prefs ? (
        <Form onSubmit={save.run} label="Notification preferences">
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Channels for each kind of notification</caption>
              <thead>
                <tr>
                  <th scope="col">Notification</th>
                  {CHANNELS.map((c) => (
                    <th scope="col" key={c}>
                      {CHANNEL_LABELS[c]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {Object.keys(prefs).map((kind) => (
                  <tr key={kind}>
                    <th scope="row">{humanize(kind)}</th>
                    {CHANNELS.map((c) => {
                      const locked = kind === 'security' && c === 'email';
                      return (
                        <td key={c}>
                          <input
                            type="checkbox"
                            aria-label={`${humanize(kind)} by ${CHANNEL_LABELS[c]}`}
                            checked={(prefs[kind] ?? []).includes(c)}
                            disabled={locked}
                            onChange={() => toggle(kind, c)}
                          />
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="submit" className="primary" disabled={save.busy}>
            Save preferences
          </button>
        </Form>
      ) : null}
    </>
  );
}
