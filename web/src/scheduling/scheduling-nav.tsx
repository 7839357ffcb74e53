import { Button, Group } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { bookingsPath, capacityPath, networkPath, schedulingPath } from './scheduling-paths.ts';

const links = [
  { to: schedulingPath, label: 'Find slots', exact: true },
  { to: bookingsPath, label: 'Bookings', exact: false },
  { to: capacityPath, label: 'Capacity calendar', exact: false },
  { to: networkPath, label: 'Network', exact: false },
];

/** The scheduling screens' own navigation: finder, bookings, capacity calendar, network. */
export function SchedulingNav() {
  const { pathname } = useLocation();
  return (
    <Group component="nav" aria-label="Scheduling" gap="xs" mb="lg">
      {links.map((link) => {
        const active = link.exact ? pathname === link.to : pathname.startsWith(link.to);
        return (
          <Button
            key={link.to}
            component={Link}
            to={link.to}
            variant={active ? 'light' : 'subtle'}
            aria-current={active ? 'page' : undefined}
            size="sm"
          >
            {link.label}
          </Button>
        );
      })}
    </Group>
  );
}
