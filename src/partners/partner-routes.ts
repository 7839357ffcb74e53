import { z } from 'zod';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/app-type.ts';
import { listPartnerSummaries } from './partner-store.ts';
import { PARTNER_TYPES } from './partner-tables.ts';

const partnerSummary = z.object({
  id: z.string().uuid(),
  name: z.string(),
  type: z.enum(PARTNER_TYPES),
  country: z.string(),
  siteCount: z.number().int(),
});

export function registerPartnerRoutes(app: App, database: Database): void {
  app.get(
    '/api/network/summary',
    {
      // Organisation names and types are not personal data; the network is public within an installation.
      config: { access: { public: true, why: 'organisation directory, no personal data' } },
      schema: {
        summary: 'The organisations of the therapy network and how many sites each has',
        tags: ['network'],
        querystring: z.object({
          type: z.enum(PARTNER_TYPES).optional().describe('Only organisations of this type'),
        }),
        response: {
          200: z.object({
            partners: z.array(partnerSummary),
            counts: z.record(z.string(), z.number().int()),
          }),
        },
      },
    },
    async (request) => {
      const partners = await listPartnerSummaries(database.db, request.query.type);
      const counts: Record<string, number> = {};
      for (const partner of partners) counts[partner.type] = (counts[partner.type] ?? 0) + 1;
      return { partners, counts };
    },
  );
}
