import { useState } from 'react';
import { api } from '../api/api-client';
import { ErrorSummary, Form, Loading, PageTitle, Success, useAction, useLoad } from '../components/ui';
import { humanize } from '../lib/format';
import { useTranslation } from 'react-i18next';

type Preferences = Record<string, string[]>;
const CHANNELS = ['email', 'sms', 'in_app'] as const;

export function PreferencesPage() {
  const { t } = useTranslation();
  const channel = (c: string) => t(`preferences.channels.${c}`);
  const kindName = (kind: string) => t(`inbox.kinds.${kind}`, { defaultValue: humanize(kind) });
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
      <PageTitle title={t('preferences.title')}>{t('preferences.title')}</PageTitle>
      <p>{t('preferences.intro')}</p>
      {saved ? <Success>{t('preferences.saved')}</Success> : null}
      <ErrorSummary error={loaded.error ?? save.error} />
      {loaded.loading ? <Loading what={t('preferences.loading')} /> : null}
      {prefs ? (
        <Form onSubmit={save.run} label={t('preferences.title')}>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t('preferences.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('preferences.notification')}</th>
                  {CHANNELS.map((c) => (
                    <th scope="col" key={c}>
                      {channel(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {Object.keys(prefs).map((kind) => (
                  <tr key={kind}>
                    <th scope="row">{kindName(kind)}</th>
                    {CHANNELS.map((c) => {
                      const locked = kind === 'security' && c === 'email';
                      return (
                        <td key={c}>
                          <input
                            type="checkbox"
                            aria-label={t('preferences.by', { kind: kindName(kind), channel: channel(c) })}
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
            {t('preferences.save')}
          </button>
        </Form>
      ) : null}
    </>
  );
}
