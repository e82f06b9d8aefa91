import { Link } from 'react-router';
import { PageTitle } from '../components/ui';
import { Trans, useTranslation } from 'react-i18next';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
      <p>
        <Trans i18nKey="notFound.text" components={{ home: <Link to="/" /> }} />
      </p>
    </>
  );
}
