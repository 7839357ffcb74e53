import { type Screen, staffScreens } from '../screens.ts';

/** The Scheduling screen as screens.ts defines it: title, purpose and the permission that opens it. */
export const schedulingScreen: Screen = staffScreens.find((screen) => screen.path === '/scheduling') ?? {
  path: '/scheduling',
  navLabel: 'Scheduling',
  title: 'Scheduling',
  purpose: 'Find, book and re-plan slot chains, and see the capacity of each site.',
  empty: { title: 'No bookings yet', description: 'Bookings appear here when a coordinator books a chain.' },
  permissions: ['scheduling:read'],
};
