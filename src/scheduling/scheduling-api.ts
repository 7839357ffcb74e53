import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/app-type.ts';
import { registerNetworkConfigRoutes } from './network-config-routes.ts';
import { registerSchedulingCapacityRoutes } from './scheduling-capacity-routes.ts';
import { registerSchedulingRoutes } from './scheduling-routes.ts';
import { SchedulingService } from './scheduling-service.ts';
import { registerSchedulingSiteRoutes } from './scheduling-site-routes.ts';

/** The scheduling API of one server process, sharing one in-memory network and capacity copy. */
export function registerSchedulingApi(
  app: App,
  database: Database,
  now: () => Date,
  settings: { holdSeconds: number },
): SchedulingService {
  const service = new SchedulingService(database.db);
  registerSchedulingRoutes(app, database, service, now, settings.holdSeconds);
  registerSchedulingCapacityRoutes(app, database, now);
  registerSchedulingSiteRoutes(app, service);
  registerNetworkConfigRoutes(app, database, service, now);
  return service;
}
