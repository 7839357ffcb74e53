import { Anchor, AppShell, Burger, Group, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { CellwayMark } from './icons.tsx';
import { MainNavigation } from './main-navigation.tsx';
import { ReadyBadge } from './ready-badge.tsx';

const NAVBAR_ID = 'main-navigation';
const MAIN_ID = 'main-content';

/** Moves keyboard and screen-reader focus to the new page's heading after in-app navigation. */
function useFocusHeadingOnNavigate() {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    const heading = document.querySelector<HTMLElement>(`#${MAIN_ID} [data-page-heading]`);
    heading?.focus({ preventScroll: false });
  }, [pathname]);
}

/** The application frame: header with product name and server status, navigation, and the current page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  // Mantine's `sm` breakpoint is 48em (768px): below it the navbar becomes a drawer opened by the burger.
  const isSmallScreen = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  const navbarHidden = isSmallScreen && !opened;
  useFocusHeadingOnNavigate();

  return (
    <AppShell
      data-testid="app-shell"
      header={{ height: 56 }}
      navbar={{ width: { sm: 220, lg: 260 }, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <a className="skip-link" href={`#${MAIN_ID}`}>
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={opened}
              aria-controls={NAVBAR_ID}
            />
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
          <ReadyBadge />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar id={NAVBAR_ID} aria-label="Main" p="xs" inert={navbarHidden}>
        <MainNavigation onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_ID} tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
