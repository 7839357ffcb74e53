import { z } from 'zod';
import { actorOf } from '../platform/access/access-hook.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/app-type.ts';
import { verifyAtBedside } from './bedside-verification.ts';

const scanText = z.string().min(1).max(200);

export const bedsideVerifyBody = z.strictObject({
  wristband: z.strictObject({ chainOfIdentity: scanText, mrn: scanText, birthDate: scanText }),
  bag: z.strictObject({ unitCode: scanText, chainOfIdentity: scanText, mrn: scanText, birthDate: scanText }),
});

/**
 * Bedside verification. Both outcomes are records (201): `result: "pass"` lets the infusion
 * proceed; `result: "stop"` is the hard stop, with `failedChecks` naming exactly what did not match.
 */
export function registerBedsideRoute(app: App, database: Database, now: () => Date): void {
  app.post(
    '/api/cases/:id/bedside-verifications',
    {
      config: { access: { permission: 'custody:bedside' } },
      schema: {
        summary:
          'Scan wristband and product bag before infusion: pass, or a hard stop naming the failed checks',
        tags: ['custody'],
        params: z.object({ id: z.string().uuid() }),
        body: bedsideVerifyBody,
        response: {
          201: z.object({
            verification: z.object({
              id: z.string(),
              result: z.enum(['pass', 'stop']),
              checks: z.array(z.object({ check: z.string(), ok: z.boolean(), detail: z.string() })),
              failedChecks: z.array(z.string()),
              deviationId: z.string().nullable(),
            }),
          }),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const at = now();
      const verification = await inTransaction(database, (trx) =>
        verifyAtBedside(trx, actor, request.params.id, request.body, at),
      );
      reply.code(201);
      return { verification };
    },
  );
}
