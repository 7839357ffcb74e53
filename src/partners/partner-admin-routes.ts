import { z } from 'zod';
import { actorOf } from '../platform/access/access-hook.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/app-type.ts';
import { HttpProblem, notFound } from '../platform/http/problem.ts';
import { createPartner, createSite } from './partner-changes.ts';
import { findPartner, listPartnersWithSites } from './partner-store.ts';
import { PARTNER_TYPES, SITE_KINDS } from './partner-tables.ts';

const code = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'must be 2 to 40 capital letters, digits or dashes, e.g. ST-ELISABETH');
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE');
const name = z.string().trim().min(1).max(200);
const timeZone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return value.includes('/') || value === 'UTC';
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Berlin' },
);

const siteSchema = z.object({
  id: z.string().uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(SITE_KINDS),
  timeZone: z.string(),
  city: z.string(),
  country: z.string(),
});
const partnerSchema = z.object({
  id: z.string().uuid(),
  code: z.string(),
  name: z.string(),
  type: z.enum(PARTNER_TYPES),
  country: z.string(),
  sites: z.array(siteSchema),
});

const tags = ['admin: partners'];
const access = { access: { permission: 'partners:manage' } } as const;
const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';
const codeTaken = (value: string) =>
  new HttpProblem(409, `The code ${value} is already in use.`, {
    errors: [{ field: 'body.code', reason: 'is already in use' }],
  });

export function registerPartnerAdminRoutes(app: App, database: Database): void {
  app.get(
    '/api/admin/partners',
    {
      config: access,
      schema: {
        summary: 'Every partner of the network with its sites',
        tags,
        response: { 200: z.object({ partners: z.array(partnerSchema) }) },
      },
    },
    async () => ({ partners: await listPartnersWithSites(database.db) }),
  );

  app.post(
    '/api/admin/partners',
    {
      config: access,
      schema: {
        summary: 'Add a partner organisation',
        tags,
        body: z.object({ code, name, type: z.enum(PARTNER_TYPES), country }),
        response: { 201: z.object({ partner: partnerSchema }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const input = request.body;
      try {
        const id = await inTransaction(database, async (trx) => {
          return createPartner(trx, actor, input);
        });
        return reply.status(201).send({ partner: { id, ...input, sites: [] } });
      } catch (error) {
        if (isUniqueViolation(error)) throw codeTaken(input.code);
        throw error;
      }
    },
  );

  app.post(
    '/api/admin/partners/:id/sites',
    {
      config: access,
      schema: {
        summary: 'Add a site to a partner',
        tags,
        params: z.object({ id: z.string().uuid() }),
        body: z.object({ code, name, kind: z.enum(SITE_KINDS), timeZone, city: name, country }),
        response: { 201: z.object({ site: siteSchema }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const input = request.body;
      const partner = await findPartner(database.db, request.params.id);
      if (!partner) throw notFound('The partner');
      try {
        const id = await inTransaction(database, async (trx) => {
          return createSite(trx, actor, partner.id, input);
        });
        return reply.status(201).send({ site: { id, ...input } });
      } catch (error) {
        if (isUniqueViolation(error)) throw codeTaken(input.code);
        throw error;
      }
    },
  );
}
