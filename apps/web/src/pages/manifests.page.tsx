import { useState } from 'react';
import { api } from '../api/api-client';
import { ErrorSummary, Field, Form, ItemList, Loading, PageTitle, Success, useAction, useLoad } from '../components/ui';
import { dateTime } from '../lib/format';
import { localDateAndHour } from '@app/contracts/calendar/delivery-days';
import { useTranslation } from 'react-i18next';
import type { ApiSchemas } from '../api/types';

type LabelView = ApiSchemas['LabelView'];

type ManifestView = ApiSchemas['ManifestView'];

/** Saves a manifest's SCAN form PDF as a download. */
async function downloadForm(manifest: ManifestView): Promise<void> {
  const blob = await api.blob(`/manifests/${manifest.manifestNumber}/pdf`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `scan-form-${manifest.manifestNumber}.pdf`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** SCAN forms: pick labels handed over on one day, get one barcode that accepts them all. */
export function ManifestsPage() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const labels = useLoad(() => api.get<{ items: LabelView[] }>('/labels?limit=100'), [version]);
  const manifests = useLoad(() => api.get<{ items: ManifestView[] }>('/manifests?limit=50'), [version]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [date, setDate] = useState(() => localDateAndHour(new Date()).date);
  const [created, setCreated] = useState<ManifestView | null>(null);
  const onManifest = new Set(manifests.data?.items.flatMap((m) => m.labelIds) ?? []);
  const eligible = labels.data?.items.filter(
    (l) => l.status === 'active' && !l.acceptedAt && !onManifest.has(l.labelId),
  );
  const create = useAction(async () => {
    if (chosen.size === 0) throw new Error(t('manifests.chooseOne'));
    setCreated(await api.post<ManifestView>('/manifests', { labelIds: [...chosen], date }));
    setChosen(new Set());
    setVersion((v) => v + 1);
  });
  const form = useAction((m: ManifestView) => downloadForm(m));
  const toggle = (labelId: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(labelId)) next.delete(labelId);
      else next.add(labelId);
      return next;
    });
  return (
    <>
      <PageTitle title={t('manifests.title')}>{t('manifests.title')}</PageTitle>
      {created ? (
        <Success>
          {t('manifests.created', { manifestNumber: created.manifestNumber, count: created.labelCount })}
        </Success>
      ) : null}
      <div className="grid">
        <section className="panel" aria-labelledby="new-manifest-title">
          <h2 id="new-manifest-title">{t('manifests.new')}</h2>
          <ErrorSummary error={create.error ?? labels.error} />
          {labels.loading ? <Loading what={t('manifests.loadingLabels')} /> : null}
          <Form onSubmit={create.run} label={t('manifests.new')}>
            <Field
              label={t('manifests.mailingDate')}
              type="date"
              required
              value={date}
              onChange={(e) => setDate(e.target.value)}
            />
            {eligible && eligible.length === 0 ? <p className="muted">{t('manifests.noneEligible')}</p> : null}
            <fieldset>
              <legend>{t('manifests.labels')}</legend>
              {eligible?.map((l) => (
                <div className="checkbox" key={l.labelId}>
                  <input
                    type="checkbox"
                    id={`label-${l.labelId}`}
                    checked={chosen.has(l.labelId)}
                    onChange={() => toggle(l.labelId)}
                  />
                  <label htmlFor={`label-${l.labelId}`}>
                    {t('manifests.labelLine', {
                      trackingNumber: l.trackingNumber,
                      service: t(`service.${l.service}`, { defaultValue: l.service }),
                      name: l.to.name,
                      city: l.to.city,
                      state: l.to.state,
                    })}
                  </label>
                </div>
              ))}
            </fieldset>
            <button type="submit" className="primary" disabled={create.busy}>
              {t('manifests.make', { count: chosen.size })}
            </button>
          </Form>
        </section>
        <section className="panel" aria-labelledby="manifests-title">
          <h2 id="manifests-title">{t('manifests.yours')}</h2>
          <ErrorSummary error={manifests.error ?? form.error} />
          <ItemList list={manifests} loading={t('manifests.loading')} empty={t('manifests.none')}>
            {(m) => (
              <li key={m.manifestNumber}>
                <div>
                  <strong>{m.manifestNumber}</strong>
                  <div>
                    {m.status === 'accepted'
                      ? t('manifests.summaryAccepted', { count: m.labelCount, date: m.date })
                      : t('manifests.summaryOpen', { count: m.labelCount, date: m.date })}
                  </div>
                  <div className="muted">
                    {m.acceptedAt
                      ? t('manifests.acceptedAt', { date: dateTime(m.acceptedAt) })
                      : t('manifests.madeAt', { date: dateTime(m.createdAt) })}
                  </div>
                </div>
                <div className="actions">
                  <button
                    type="button"
                    onClick={() => void form.run(m)}
                    aria-label={t('manifests.downloadOf', { manifestNumber: m.manifestNumber })}
                  >
                    {t('manifests.pdf')}
                  </button>
                </div>
              </li>
            )}
          </ItemList>
        </section>
      </div>
    </>
  );
}
