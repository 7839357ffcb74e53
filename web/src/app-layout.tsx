import { Anchor, AppShell, Burger, Group, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { Suspense, useEffect, useRef } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useSession } from './auth/session-context.ts';
import { UserMenu } from './auth/user-menu.tsx';
import { CellwayMark } from './icons.tsx';
import { MainNavigation } from './main-navigation.tsx';
import { PageLoading } from './page-loading.tsx';
import { ReadyBadge } from './ready-badge.tsx';
import { isScreenActive, portalScreens, staffScreens } from './screens.ts';

const NAVBAR_ID = 'main-navigation';
const MAIN_ID = 'main-content';

/** `/admin/users` → `/admin`: moving between the tabs of one screen is not a new page. */
function pageOf(pathname: string): string {
  return (
    [...staffScreens, ...portalScreens].find((screen) => isScreenActive(screen, pathname))?.path ?? pathname
  );
}

/** Moves keyboard and screen-reader focus to the new page's heading after in-app navigation. */
function useFocusHeadingOnNavigate() {
  const { pathname } = useLocation();
  const page = pageOf(pathname);
  const previous = useRef(page);
  useEffect(() => {
    if (previous.current === page) return;
    previous.current = page;
    const heading = document.querySelector<HTMLElement>(`#${MAIN_ID} [data-page-heading]`);
    heading?.focus({ preventScroll: false });
  }, [page]);
}

/**
 * The application frame: header with product name, server status and the signed-in user, navigation
 * (once someone is signed in), and the current page.
 */
export function AppLayout() {
  const { me } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  // Mantine's `md` breakpoint is 62em (992px): below it (phones and tablets held upright, where site staff
  // and couriers scan and sign) the navbar becomes a drawer opened by the burger, leaving the page the width.
  const isSmallScreen = useMediaQuery('(max-width: 61.99em)', false, { getInitialValueInEffect: false });
  const navbarHidden = isSmallScreen && !opened;
  useFocusHeadingOnNavigate();

  return (
    <AppShell
      data-testid="app-shell"
      header={{ height: 56 }}
      navbar={
        me ? { width: { md: 220, lg: 260 }, breakpoint: 'md', collapsed: { mobile: !opened } } : undefined
      }
      padding="lg"
    >
      <a className="skip-link" href={`#${MAIN_ID}`}>
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px={{ base: 'xs', xs: 'md' }} justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="sm" wrap="nowrap">
            {me ? (
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="md"
                size="sm"
                aria-label={opened ? 'Close navigation' : 'Open navigation'}
                aria-expanded={opened}
                aria-controls={NAVBAR_ID}
              />
            ) : null}
            <Anchor component={Link} to="/" underline="never" c="inherit">
              <Group gap={8} wrap="nowrap">
                <Text component="span" c="teal.7" lh={0}>
                  <CellwayMark size={26} />
                </Text>
                <Text component="span" fw={700} fz="lg">
                  Cellway
                </Text>
              </Group>
            </Anchor>
            <Text component="span" size="sm" c="dimmed" visibleFrom="md">
              Advanced therapy management, vein to vein
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <ReadyBadge />
            {me ? <UserMenu me={me} /> : null}
          </Group>
        </Group>
      </AppShell.Header>
      {me ? (
        <AppShell.Navbar id={NAVBAR_ID} aria-label="Main" p="xs" inert={navbarHidden}>
          <MainNavigation onNavigate={close} />
        </AppShell.Navbar>
      ) : null}
      <AppShell.Main id={MAIN_ID} tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
