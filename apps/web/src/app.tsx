import { lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { api } from './api/api-client';
import { isOperator, useSessionUser } from './session';
import { Trans, useTranslation } from 'react-i18next';
import { LanguagePicker } from './components/language-picker';
import { Loading } from './components/ui';
// The two pages most visits start on (the home page and tracking, the link in every notice) stay in the first
// bundle: a chunk of their own would cost a phone one more round trip (~0.5 s on Slow 4G) for ~4 KB.
import { HomePage } from './pages/home.page';
import { TrackPage } from './pages/track.page';

// Code splitting by route (issue 20): every page is its own chunk, fetched when its route is first shown, so
// the first page's JavaScript is the shell plus that one page (apps/web/test/build-output checks the budget).
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const BatchesPage = page(() => import('./pages/batches.page'), 'BatchesPage');
const DashboardPage = page(() => import('./pages/dashboard.page'), 'DashboardPage');
const HoldMailPage = page(() => import('./pages/hold-mail.page'), 'HoldMailPage');
const InboxPage = page(() => import('./pages/inbox.page'), 'InboxPage');
const LabelsPage = lazy(() => import('./pages/labels.page').then((m) => ({ default: m.LabelsPage })));
const LoginPage = page(() => import('./pages/login.page'), 'LoginPage');
const ForgotUsernamePage = page(() => import('./pages/login.page'), 'ForgotUsernamePage');
const ResetPasswordPage = page(() => import('./pages/login.page'), 'ResetPasswordPage');
const ManifestsPage = page(() => import('./pages/manifests.page'), 'ManifestsPage');
const NotFoundPage = page(() => import('./pages/not-found.page'), 'NotFoundPage');
const AcceptInvitePage = page(() => import('./pages/org.page'), 'AcceptInvitePage');
const OrgPage = page(() => import('./pages/org.page'), 'OrgPage');
const OrgSwitcher = page(() => import('./pages/org.page'), 'OrgSwitcher');
const OperatorPage = page(() => import('./pages/operator.page'), 'OperatorPage');
const OperatorOrdersPage = page(() => import('./pages/operator-orders.page'), 'OperatorOrdersPage');
const PickupsPage = page(() => import('./pages/pickups.page'), 'PickupsPage');
const PreferencesPage = page(() => import('./pages/preferences.page'), 'PreferencesPage');
const ProfilePage = page(() => import('./pages/profile.page'), 'ProfilePage');
const SignUpPage = page(() => import('./pages/signup.page'), 'SignUpPage');
const VerifyEmailPage = page(() => import('./pages/signup.page'), 'VerifyEmailPage');
const StampsPage = page(() => import('./pages/stamps.page'), 'StampsPage');
const WalletPage = page(() => import('./pages/wallet.page'), 'WalletPage');
const SupportPage = page(() => import('./pages/support.page'), 'SupportPage');
const WebhooksPage = page(() => import('./pages/webhooks.page'), 'WebhooksPage');
// Installable app (issue 20): the watchlist, also offline.
const ParcelsPage = page(() => import('./pages/parcels.page'), 'ParcelsPage');

function RequireUser({ children, operator = false }: { children: ReactNode; operator?: boolean }) {
  const user = useSessionUser();
  const location = useLocation();
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (operator && !isOperator(user)) return <Navigate to="/dashboard" replace />;
  return <>{children}</>;
}

function Header() {
  const { t } = useTranslation();
  const user = useSessionUser();
  const navigate = useNavigate();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [location.pathname]);
  const signedIn: [string, string][] = [
    ['/dashboard', t('nav.dashboard')],
    // Installable app (issue 20)
    ['/parcels', t('nav.parcels')],
    ['/labels', t('nav.labels')],
    ['/pickups', t('nav.pickups')],
    ['/hold-mail', t('nav.holdMail')],
    // Batch shipping and SCAN forms (issue 18)
    ['/batches', t('nav.batches')],
    ['/manifests', t('nav.manifests')],
    ['/stamps', t('nav.stamps')],
    ['/wallet', t('nav.wallet')],
    ['/inbox', t('nav.inbox')],
    ['/support', t('nav.support')],
    // Webhooks (issue 18)
    ['/webhooks', t('nav.webhooks')],
    ['/profile', t('nav.profile')],
    // Teams (issue 18)
    ['/org', t('nav.organisation')],
  ];
  const links: [string, string][] = user
    ? [
        ['/track', t('nav.track')],
        ...signedIn,
        ...(isOperator(user) ? ([['/operator', t('nav.operator')]] as [string, string][]) : []),
      ]
    : [
        ['/track', t('nav.track')],
        ['/labels/quote', t('nav.prices')],
        ['/stamps', t('nav.stamps')],
      ];
  return (
    <header className="site-header">
      <div className="header-bar">
        <Link to="/" className="brand">
          <span aria-hidden="true">✉</span> {t('app.brand')}
        </Link>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={open}
          aria-controls="site-nav"
          onClick={() => setOpen((o) => !o)}
        >
          {t('app.menu')}
        </button>
        <LanguagePicker />
      </div>
      <nav id="site-nav" aria-label={t('app.mainNav')} className={open ? 'open' : undefined}>
        <ul>
          {links.map(([to, label]) => (
            <li key={to}>
              <NavLink to={to}>{label}</NavLink>
            </li>
          ))}
          {user ? (
            <li>
              <Suspense fallback={null}>
                <OrgSwitcher />
              </Suspense>
            </li>
          ) : null}
          {user ? (
            <li>
              <button
                type="button"
                className="link-button"
                onClick={() => void api.logout().finally(() => void navigate('/'))}
              >
                {t('app.logOut', { username: user.username })}
              </button>
            </li>
          ) : (
            <>
              <li>
                <NavLink to="/login">{t('app.logIn')}</NavLink>
              </li>
              <li>
                <NavLink to="/signup">{t('app.signUp')}</NavLink>
              </li>
            </>
          )}
        </ul>
      </nav>
    </header>
  );
}

export function App() {
  const { t } = useTranslation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what={t('app.page')} />}>
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/track" element={<TrackPage />} />
            <Route path="/track/:trackingNumber" element={<TrackPage />} />
            <Route path="/signup" element={<SignUpPage />} />
            <Route path="/verify-email" element={<VerifyEmailPage />} />
            <Route path="/login" element={<LoginPage />} />
            <Route path="/forgot-username" element={<ForgotUsernamePage />} />
            <Route path="/reset-password" element={<ResetPasswordPage />} />
            <Route path="/labels/quote" element={<LabelsPage quoteOnly />} />
            <Route path="/stamps" element={<StampsPage />} />
            <Route
              path="/dashboard"
              element={
                <RequireUser>
                  <DashboardPage />
                </RequireUser>
              }
            />
            <Route
              path="/labels"
              element={
                <RequireUser>
                  <LabelsPage />
                </RequireUser>
              }
            />
            {/* Batch shipping and SCAN forms (issue 18) */}
            <Route
              path="/batches"
              element={
                <RequireUser>
                  <BatchesPage />
                </RequireUser>
              }
            />
            <Route
              path="/manifests"
              element={
                <RequireUser>
                  <ManifestsPage />
                </RequireUser>
              }
            />
            <Route
              path="/wallet"
              element={
                <RequireUser>
                  <WalletPage />
                </RequireUser>
              }
            />
            <Route
              path="/pickups"
              element={
                <RequireUser>
                  <PickupsPage />
                </RequireUser>
              }
            />
            <Route
              path="/hold-mail"
              element={
                <RequireUser>
                  <HoldMailPage />
                </RequireUser>
              }
            />
            <Route
              path="/inbox"
              element={
                <RequireUser>
                  <InboxPage />
                </RequireUser>
              }
            />
            <Route
              path="/preferences"
              element={
                <RequireUser>
                  <PreferencesPage />
                </RequireUser>
              }
            />
            <Route
              path="/support"
              element={
                <RequireUser>
                  <SupportPage />
                </RequireUser>
              }
            />
            <Route
              path="/support/:caseId"
              element={
                <RequireUser>
                  <SupportPage />
                </RequireUser>
              }
            />
            <Route
              path="/webhooks"
              element={
                <RequireUser>
                  <WebhooksPage />
                </RequireUser>
              }
            />
            <Route
              path="/profile"
              element={
                <RequireUser>
                  <ProfilePage />
                </RequireUser>
              }
            />
            <Route
              path="/operator"
              element={
                <RequireUser operator>
                  <OperatorPage />
                </RequireUser>
              }
            />
            {/* Stamp-order fulfilment (issue 17): operators only. */}
            <Route
              path="/operator/orders"
              element={
                <RequireUser operator>
                  <OperatorOrdersPage />
                </RequireUser>
              }
            />
            {/* Teams (issue 18): the invitation link's page handles a signed-out visitor itself (the token is in the fragment) */}
            <Route
              path="/org"
              element={
                <RequireUser>
                  <OrgPage />
                </RequireUser>
              }
            />
            <Route path="/org/accept" element={<AcceptInvitePage />} />
            {/* Installable app (issue 20): checks the session itself, to open offline with the statuses kept. */}
            <Route path="/parcels" element={<ParcelsPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>
          <Trans i18nKey="app.footer" components={{ docs: <a href="/api/docs" /> }} />
        </p>
      </footer>
    </>
  );
}
