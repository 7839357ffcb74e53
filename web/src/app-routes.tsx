import { lazy } from 'react';
import { Route, Routes } from 'react-router-dom';
import { AppLayout } from './app-layout.tsx';
import { RequirePermission } from './auth/require-permission.tsx';
import { RequireSession } from './auth/require-session.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { adminScreen, auditScreen, overviewScreen, portalScreens, staffScreens } from './screens.ts';
import { SectionPage } from './section-page.tsx';

// Pages only some people open load on demand, so signing in and the overview stay quick.
const AdminPage = lazy(() =>
  import('./pages/admin-page.tsx').then((module) => ({ default: module.AdminPage })),
);
const AuditPage = lazy(() =>
  import('./pages/audit-page.tsx').then((module) => ({ default: module.AuditPage })),
);
const ProfilePage = lazy(() =>
  import('./pages/profile-page.tsx').then((module) => ({ default: module.ProfilePage })),
);

const builtScreens = new Set([overviewScreen, auditScreen, adminScreen]);

/** Every screen of the app, inside the shared layout; all but sign-in need someone signed in. */
export function AppRoutes() {
  const sectionScreens = [...staffScreens, ...portalScreens].filter((screen) => !builtScreens.has(screen));
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<RequireSession />}>
          <Route index element={<OverviewPage />} />
          <Route path="/profile" element={<ProfilePage />} />
          <Route
            path={`${auditScreen.path}/*`}
            element={
              <RequirePermission screen={auditScreen}>
                <AuditPage />
              </RequirePermission>
            }
          />
          <Route
            path={`${adminScreen.path}/:tab?`}
            element={
              <RequirePermission screen={adminScreen}>
                <AdminPage />
              </RequirePermission>
            }
          />
          {sectionScreens.map((screen) => (
            <Route key={screen.path} path={`${screen.path}/*`} element={<SectionPage screen={screen} />} />
          ))}
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
