import { z } from 'zod';
import type { App } from '../platform/http/app-type.ts';
import { SCHEDULING_SITE_KINDS } from './scheduling-model.ts';
import type { SchedulingService } from './scheduling-service.ts';

const tags = ['scheduling'];

const siteSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(SCHEDULING_SITE_KINDS),
  country: z.string(),
  timeZone: z.string().describe('IANA time zone: step times and calendar days are local to it'),
  partnerId: z.string(),
  workTypes: z.array(z.string()).optional().describe('the kinds of work done at this kind of site'),
});

/**
 * The scheduling network's site directory, so screens name sites ("Leiden cell processing facility
 * (ALM-PLANT)") and show step times in each site's own zone. Site names are not patient data, and a
 * coordinator plans across partners, so every holder of scheduling:read sees the whole network.
 */
export function registerSchedulingSiteRoutes(app: App, service: SchedulingService): void {
  app.get(
    '/api/scheduling/sites',
    {
      config: { access: { permission: 'scheduling:read' } },
      schema: {
        summary: 'The sites of the scheduling network, with their kind, country and time zone',
        tags,
        querystring: z.object({ kind: z.enum(SCHEDULING_SITE_KINDS).optional() }),
        response: { 200: z.object({ sites: z.array(siteSchema) }) },
      },
    },
    async (request) => {
      const { kind } = request.query;
      const network = await service.network();
      const workTypes = [...network.workTypes.values()];
      const sites = [...network.sites.values()]
        .filter((site) => !kind || site.kind === kind)
        .sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code))
        .map((site) => ({
          id: site.id,
          code: site.code,
          name: site.name,
          kind: site.kind,
          country: site.country,
          timeZone: site.timeZone,
          partnerId: site.partnerId,
          workTypes: workTypes.filter((w) => w.siteKinds.includes(site.kind)).map((w) => w.key),
        }));
      return { sites };
    },
  );
}
