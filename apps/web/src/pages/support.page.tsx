import { useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/api-client';
import { ErrorSummary, Field, Form, Loading, PageTitle, Success, useAction, useLoad } from '../components/ui';
import { dateTime, humanize } from '../lib/format';
import { isOperator, useSessionUser } from '../session';
import { Trans, useTranslation } from 'react-i18next';
import type { ApiSchemas } from '../api/types';

type CaseView = ApiSchemas['CaseView'];

function TextArea({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={4} value={value} required maxLength={5000} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function CaseDetail({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const user = useSessionUser();
  const detail = useLoad(() => api.get<CaseView>(`/support/cases/${encodeURIComponent(caseId)}`), [caseId]);
  const [reply, setReply] = useState('');
  const send = useAction(async () => {
    await api.post(`/support/cases/${encodeURIComponent(caseId)}/messages`, { body: reply.trim() });
    setReply('');
    detail.reload();
  });
  const close = useAction(async () => {
    await api.post(`/support/cases/${encodeURIComponent(caseId)}/close`);
    detail.reload();
  });
  const c = detail.data;
  return (
    <section className="panel" aria-labelledby="case-title">
      <p>
        <Link to="/support">{t('support.backToCases')}</Link>
      </p>
      <ErrorSummary error={detail.error ?? send.error ?? close.error} />
      {detail.loading ? <Loading what={t('support.loadingCase')} /> : null}
      {c ? (
        <>
          <h2 id="case-title">{c.subject}</h2>
          <p>
            <span className="badge">{t(`support.status.${c.status}`, { defaultValue: humanize(c.status) })}</span>{' '}
            {c.trackingNumber ? (
              <Trans
                i18nKey="support.openedAbout"
                values={{ date: dateTime(c.createdAt), trackingNumber: c.trackingNumber }}
                components={{ go: <Link to={`/track?numbers=${c.trackingNumber}`} /> }}
              />
            ) : (
              t('support.opened', { date: dateTime(c.createdAt) })
            )}
          </p>
          <ol className="messages" aria-label={t('support.messages')}>
            {c.messages?.map((m) => (
              <li key={m.id} className={m.authorRole === 'operator' ? 'from-operator' : 'from-customer'}>
                <div className="muted">
                  {m.authorRole === 'operator'
                    ? t('support.fromSupport')
                    : isOperator(user)
                      ? t('support.fromCustomer')
                      : t('support.fromYou')}{' '}
                  · {dateTime(m.createdAt)}
                </div>
                <p>{m.body}</p>
              </li>
            ))}
          </ol>
          {c.status !== 'closed' ? (
            <>
              <Form onSubmit={send.run} label={t('support.reply')}>
                <TextArea label={t('support.yourReply')} value={reply} onChange={setReply} />
                <div className="actions">
                  <button type="submit" className="primary" disabled={send.busy}>
                    {t('support.sendReply')}
                  </button>
                  <button type="button" onClick={() => void close.run()} disabled={close.busy}>
                    {t('support.close')}
                  </button>
                </div>
              </Form>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function SupportPage() {
  const { t } = useTranslation();
  const { caseId } = useParams();
  const user = useSessionUser();
  const navigate = useNavigate();
  const operator = isOperator(user);
  const cases = useLoad(() => api.get<{ items: CaseView[] }>('/support/cases?limit=50'), [caseId]);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const open = useAction(async () => {
    const created = await api.post<{ caseId: string }>('/support/cases', {
      subject: subject.trim(),
      body: body.trim(),
      ...(trackingNumber.trim() ? { trackingNumber: trackingNumber.trim() } : {}),
    });
    await navigate(`/support/${created.caseId}`);
  });
  return (
    <>
      <PageTitle title={t('support.title')}>{operator ? t('support.cases') : t('support.heading')}</PageTitle>
      {caseId ? (
        <CaseDetail caseId={caseId} />
      ) : (
        <div className="grid">
          {!operator ? (
            <section className="panel" aria-labelledby="new-case-title">
              <h2 id="new-case-title">{t('support.ask')}</h2>
              <ErrorSummary error={open.error} />
              <Form onSubmit={open.run} label={t('support.newCase')}>
                <Field
                  label={t('support.subject')}
                  value={subject}
                  onChange={(e) => setSubject(e.target.value)}
                  maxLength={200}
                  required
                />
                <Field
                  label={t('dashboard.trackingNumber')}
                  value={trackingNumber}
                  onChange={(e) => setTrackingNumber(e.target.value)}
                />
                <TextArea label={t('support.message')} value={body} onChange={setBody} />
                <button type="submit" className="primary" disabled={open.busy}>
                  {t('support.send')}
                </button>
              </Form>
            </section>
          ) : null}
          <section className="panel" aria-labelledby="cases-title">
            <h2 id="cases-title">{operator ? t('support.allCases') : t('support.yourCases')}</h2>
            <ErrorSummary error={cases.error} />
            {cases.loading ? <Loading what={t('support.loadingCases')} /> : null}
            {cases.data && cases.data.items.length === 0 ? <Success>{t('support.none')}</Success> : null}
            <ul className="item-list">
              {cases.data?.items.map((c) => (
                <li key={c.caseId}>
                  <div>
                    <Link to={`/support/${c.caseId}`}>{c.subject}</Link>
                    <div className="muted">
                      <span className="badge">
                        {t(`support.status.${c.status}`, { defaultValue: humanize(c.status) })}
                      </span>{' '}
                      {t('support.updated', { date: dateTime(c.updatedAt) })}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </>
  );
}
