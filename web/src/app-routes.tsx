import { lazy } from 'react';
import { Route, Routes } from 'react-router-dom';
import { AppLayout } from './app-layout.tsx';
import { RequirePermission } from './auth/require-permission.tsx';
import { RequireSession } from './auth/require-session.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import {
  adminScreen,
  auditScreen,
  casesScreen,
  custodyScreen,
  myWorkScreen,
  overviewScreen,
  portalScreens,
  staffScreens,
  therapyScreen,
} from './screens.ts';
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

const TherapyPage = lazy(() =>
  import('./pages/therapy-page.tsx').then((module) => ({ default: module.TherapyPage })),
);
const TemplatePage = lazy(() =>
  import('./pages/template-page.tsx').then((module) => ({ default: module.TemplatePage })),
);
const TemplateComparePage = lazy(() =>
  import('./pages/template-compare-page.tsx').then((module) => ({ default: module.TemplateComparePage })),
);
const CasesPage = lazy(() =>
  import('./pages/cases-page.tsx').then((module) => ({ default: module.CasesPage })),
);
const CasePage = lazy(() => import('./pages/case-page.tsx').then((module) => ({ default: module.CasePage })));
const MyWorkPage = lazy(() =>
  import('./pages/my-work-page.tsx').then((module) => ({ default: module.MyWorkPage })),
);
const SchedulingPage = lazy(() =>
  import('./pages/scheduling-page.tsx').then((module) => ({ default: module.SchedulingPage })),
);
const SchedulingBookingsPage = lazy(() =>
  import('./pages/scheduling-bookings-page.tsx').then((module) => ({
    default: module.SchedulingBookingsPage,
  })),
);
const SchedulingBookingPage = lazy(() =>
  import('./pages/scheduling-booking-page.tsx').then((module) => ({ default: module.SchedulingBookingPage })),
);
const SchedulingCapacityPage = lazy(() =>
  import('./pages/scheduling-capacity-page.tsx').then((module) => ({
    default: module.SchedulingCapacityPage,
  })),
);
const SchedulingNetworkPage = lazy(() =>
  import('./pages/scheduling-network-page.tsx').then((module) => ({
    default: module.SchedulingNetworkPage,
  })),
);

const CustodyPage = lazy(() =>
  import('./pages/custody-page.tsx').then((module) => ({ default: module.CustodyPage })),
);
const CustodyCasePage = lazy(() =>
  import('./pages/custody-case-page.tsx').then((module) => ({ default: module.CustodyCasePage })),
);
const HandoffPage = lazy(() =>
  import('./pages/handoff-page.tsx').then((module) => ({ default: module.HandoffPage })),
);
const BedsidePage = lazy(() =>
  import('./pages/bedside-page.tsx').then((module) => ({ default: module.BedsidePage })),
);

const builtScreens = new Set([
  custodyScreen,
  overviewScreen,
  auditScreen,
  adminScreen,
  casesScreen,
  myWorkScreen,
  therapyScreen,
]);

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
          <Route path={casesScreen.path} element={<CasesPage />} />
          <Route path={`${casesScreen.path}/:id`} element={<CasePage />} />
          <Route path={myWorkScreen.path} element={<MyWorkPage />} />
          <Route path={therapyScreen.path} element={<TherapyPage />} />
          <Route path={`${therapyScreen.path}/:code/versions/:version`} element={<TemplatePage />} />
          <Route path={`${therapyScreen.path}/:code/compare`} element={<TemplateComparePage />} />
          {/* Scheduling: these beat the screen's placeholder route, which only matches what is left. */}
          <Route path="/scheduling" element={<SchedulingPage />} />
          <Route path="/scheduling/bookings" element={<SchedulingBookingsPage />} />
          <Route path="/scheduling/bookings/:id" element={<SchedulingBookingPage />} />
          <Route path="/scheduling/capacity" element={<SchedulingCapacityPage />} />
          <Route path="/scheduling/network" element={<SchedulingNetworkPage />} />
          <Route
            path={custodyScreen.path}
            element={
              <RequirePermission screen={custodyScreen}>
                <CustodyPage />
              </RequirePermission>
            }
          />
          <Route
            path={`${custodyScreen.path}/cases/:id`}
            element={
              <RequirePermission screen={custodyScreen}>
                <CustodyCasePage />
              </RequirePermission>
            }
          />
          <Route
            path={`${custodyScreen.path}/handoffs/:id`}
            element={
              <RequirePermission screen={custodyScreen}>
                <HandoffPage />
              </RequirePermission>
            }
          />
          <Route
            path={`${custodyScreen.path}/bedside/:caseId`}
            element={
              <RequirePermission screen={custodyScreen}>
                <BedsidePage />
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
