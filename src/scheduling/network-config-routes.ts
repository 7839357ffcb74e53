import { z } from 'zod';
import { actorOf } from '../platform/access/access-hook.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction, type Tx } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/app-type.ts';
import {
  addClosure,
  deleteRoute,
  readNetworkConfig,
  removeClosure,
  replacePreferredSiteSets,
  setSiteCalendar,
  upsertRoute,
} from './network-config-store.ts';
import { SCHEDULING_SITE_KINDS } from './scheduling-model.ts';
import type { SchedulingService } from './scheduling-service.ts';

const tags = ['scheduling'];
const uuid = z.string().uuid();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (00:00–23:59)');
const reason = z.string().trim().min(3).max(1000).describe('why: recorded in the ledger');
const legs = ['collection_to_plant', 'plant_to_infusion'] as const;
const siteParams = z.object({ id: uuid });

const openingHoursSchema = z.object({
  weekday: z.number().int().min(1).max(7).describe('ISO weekday: 1 = Monday … 7 = Sunday'),
  opens: time,
  closes: time,
});
const closureSchema = z.object({ id: z.string(), from: z.string(), to: z.string(), reason: z.string() });
const routeSchema = z.object({
  fromSiteId: z.string(),
  toSiteId: z.string(),
  leg: z.enum(legs),
  transportHours: z.number(),
});
const siteSetSchema = z.object({
  rank: z.number().int().min(1).max(50),
  collectionSiteIds: z.array(uuid).min(1).max(50),
  plantIds: z.array(uuid).min(1).max(50),
  infusionSiteIds: z.array(uuid).min(1).max(50),
});
const storedSetSchema = siteSetSchema.extend({
  treatmentCentreId: z.string(),
  therapyCode: z.string(),
  collectionSiteIds: z.array(z.string()),
  plantIds: z.array(z.string()),
  infusionSiteIds: z.array(z.string()),
});
const calendarSchema = z.object({
  siteId: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(SCHEDULING_SITE_KINDS),
  timeZone: z.string(),
  openingHours: z.array(openingHoursSchema),
  closures: z.array(closureSchema),
});

/**
 * Network administration (scheduling:network): site calendars and closures, routes and preferred
 * site sets. Each change is one transaction with its ledger entry; afterwards this process reloads
 * its network at the next search, other processes within their network TTL (scheduling-service.ts).
 */
export function registerNetworkConfigRoutes(
  app: App,
  database: Database,
  service: SchedulingService,
  now: () => Date,
): void {
  // Invalidated after the commit (or a refusal, harmlessly): the next search here reads the change.
  const change = <T>(work: (trx: Tx) => Promise<T>) =>
    inTransaction(database, work).finally(() => service.invalidateNetwork());
  const context = (request: Parameters<typeof actorOf>[0], why: string) => ({
    actor: actorOf(request),
    reason: why,
    at: now(),
  });

  app.get(
    '/api/scheduling/network',
    {
      config: { access: { permission: 'scheduling:read' } },
      schema: {
        summary: 'The network’s configuration: site calendars and closures, routes, preferred site sets',
        tags,
        response: {
          200: z.object({
            calendars: z.array(calendarSchema),
            routes: z.array(routeSchema),
            preferredSiteSets: z.array(storedSetSchema),
          }),
        },
      },
    },
    async () => readNetworkConfig(database.db),
  );

  app.put(
    '/api/scheduling/sites/:id/calendar',
    {
      config: { access: { permission: 'scheduling:network' } },
      schema: {
        summary: 'Set a site’s opening hours (a weekday without hours is closed) and, optionally, time zone',
        tags,
        params: siteParams,
        body: z.object({
          timeZone: z.string().min(1).max(100).optional().describe('IANA time zone, e.g. Europe/Berlin'),
          openingHours: z.array(openingHoursSchema).max(7),
          reason,
        }),
        response: { 200: calendarSchema },
      },
    },
    async (request) => {
      const { timeZone, openingHours, reason: why } = request.body;
      const ctx = context(request, why);
      const calendar = await change((trx) =>
        setSiteCalendar(
          trx,
          request.params.id,
          {
            ...(timeZone !== undefined ? { timeZone } : {}),
            openingHours: openingHours.map((h) => ({
              ...h,
              weekday: h.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7,
            })),
          },
          ctx,
        ),
      );
      return calendar;
    },
  );

  app.post(
    '/api/scheduling/sites/:id/closures',
    {
      config: { access: { permission: 'scheduling:network' } },
      schema: {
        summary:
          'Close a site from one local day to another (inclusive); refused while bookings use those days',
        tags,
        params: siteParams,
        body: z.object({ from: day, to: day, reason }),
        response: { 201: closureSchema },
      },
    },
    async (request, reply) => {
      const { from, to, reason: why } = request.body;
      const ctx = context(request, why);
      const closure = await change((trx) =>
        addClosure(trx, request.params.id, { from, to, reason: why }, ctx),
      );
      reply.code(201);
      return closure;
    },
  );

  app.delete(
    '/api/scheduling/sites/:id/closures/:closureId',
    {
      config: { access: { permission: 'scheduling:network' } },
      schema: {
        summary: 'Lift a closure (the ledger keeps it, with the reason for lifting it)',
        tags,
        params: z.object({ id: uuid, closureId: z.string().min(1).max(100) }),
        body: z.object({ reason }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const ctx = context(request, request.body.reason);
      await change((trx) => removeClosure(trx, request.params.id, request.params.closureId, ctx));
      reply.code(204);
      return null;
    },
  );

  app.put(
    '/api/scheduling/routes',
    {
      config: { access: { permission: 'scheduling:network' } },
      schema: {
        summary:
          'Add or change a route (collection site → plant, or plant → infusion site) and its transport time',
        tags,
        body: z.object({
          fromSiteId: uuid,
          toSiteId: uuid,
          leg: z.enum(legs),
          transportHours: z.number().min(0).max(240),
          reason,
        }),
        response: { 200: routeSchema },
      },
    },
    async (request) => {
      const { reason: why, ...route } = request.body;
      const ctx = context(request, why);
      return change((trx) => upsertRoute(trx, route, ctx));
    },
  );

  app.delete(
    '/api/scheduling/routes',
    {
      config: { access: { permission: 'scheduling:network' } },
      schema: {
        summary: 'Remove a route; refused while a preferred site set depends on it',
        tags,
        body: z.object({ fromSiteId: uuid, toSiteId: uuid, reason }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { fromSiteId, toSiteId, reason: why } = request.body;
      const ctx = context(request, why);
      await change((trx) => deleteRoute(trx, fromSiteId, toSiteId, ctx));
      reply.code(204);
      return null;
    },
  );

  app.put(
    '/api/scheduling/preferred-site-sets',
    {
      config: { access: { permission: 'scheduling:network' } },
      schema: {
        summary: 'Replace a treatment centre’s ranked preferred site sets for one therapy',
        tags,
        body: z.object({
          treatmentCentreId: uuid,
          therapyCode: z.string().trim().min(1).max(100),
          sets: z.array(siteSetSchema).max(50),
          reason,
        }),
        response: { 200: z.object({ preferredSiteSets: z.array(storedSetSchema) }) },
      },
    },
    async (request) => {
      const { reason: why, ...input } = request.body;
      const ctx = context(request, why);
      const preferredSiteSets = await change((trx) => replacePreferredSiteSets(trx, input, ctx));
      return { preferredSiteSets };
    },
  );
}
