import { Box, NavLink, ScrollArea, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { hasAnyPermission } from './auth/auth-api.ts';
import { useSession } from './auth/session-context.ts';
import { isScreenActive, screenGroups } from './screens.ts';

interface MainNavigationProps {
  /** Called after a link is followed, e.g. to close the navbar on small screens. */
  onNavigate?: () => void;
}

/** The navbar's links: the staff console screens, then the portals; only those the user may open. */
export function MainNavigation({ onNavigate }: MainNavigationProps) {
  const { pathname } = useLocation();
  const { me } = useSession();
  const groups = screenGroups
    .map((group) => ({
      ...group,
      screens: group.screens.filter((screen) => me !== null && hasAnyPermission(me, screen.permissions)),
    }))
    .filter((group) => group.screens.length > 0);

  return (
    <ScrollArea type="auto" offsetScrollbars="y" h="100%">
      {groups.map((group) => {
        const headingId = `nav-group-${group.id}`;
        return (
          <Box key={group.id} mb="md">
            <Text
              component="h2"
              id={headingId}
              size="xs"
              fw={700}
              tt="uppercase"
              c="dimmed"
              px="sm"
              mb={4}
              style={{ letterSpacing: '0.04em' }}
            >
              {group.label}
            </Text>
            <Box component="ul" aria-labelledby={headingId} m={0} p={0} style={{ listStyle: 'none' }}>
              {group.screens.map((screen) => {
                const active = isScreenActive(screen, pathname);
                return (
                  <li key={screen.path}>
                    <NavLink
                      component={Link}
                      to={screen.path}
                      label={screen.navLabel}
                      active={active}
                      aria-current={active ? 'page' : undefined}
                      className="main-nav-link"
                      onClick={onNavigate}
                    />
                  </li>
                );
              })}
            </Box>
          </Box>
        );
      })}
    </ScrollArea>
  );
}
