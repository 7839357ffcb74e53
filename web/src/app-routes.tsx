import { Route, Routes } from 'react-router-dom';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { overviewScreen, portalScreens, staffScreens } from './screens.ts';
import { SectionPage } from './section-page.tsx';

/** Every screen of the app, inside the shared layout. */
export function AppRoutes() {
  const sectionScreens = [...staffScreens, ...portalScreens].filter((screen) => screen !== overviewScreen);
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<OverviewPage />} />
        {sectionScreens.map((screen) => (
          <Route key={screen.path} path={`${screen.path}/*`} element={<SectionPage screen={screen} />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
