import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { App } from '../http/app-type.ts';
import { HttpProblem } from '../http/problem.ts';
import { listAuditEntries } from './audit-trail-store.ts';
import { listCheckpoints } from './checkpointer.ts';
import { inclusionProofFor } from './inclusion-proof-store.ts';

const checkpointSchema = z.object({
  origin: z.string(),
  treeSize: z.number().int(),
  rootHash: z.string(),
  issuedAt: z.string(),
  keyId: z.string(),
  signature: z.string(),
});

const entrySchema = z.object({
  id: z.string(),
  stream: z.string(),
  seq: z.number().int(),
  recordedAt: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorPartnerId: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  recordType: z.string(),
  recordId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  hash: z.string(),
});

const access = { access: { permission: 'audit:read' } } as const;

export function registerAuditRoutes(app: App, database: Database): void {
  app.get(
    '/api/audit/entries',
    {
      config: access,
      schema: {
        summary: 'The audit trail: every recorded change, newest first, with before and after',
        tags: ['audit'],
        querystring: z.object({
          recordType: z.string().min(1).max(100).optional(),
          recordId: z.string().min(1).max(200).optional(),
          actorId: z.string().min(1).max(200).optional(),
          from: z.iso.datetime({ offset: true }).optional().describe('inclusive, ISO-8601'),
          to: z.iso.datetime({ offset: true }).optional().describe('exclusive, ISO-8601'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          before: z.coerce.number().int().positive().optional().describe('nextCursor of the previous page'),
        }),
        response: { 200: z.object({ entries: z.array(entrySchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.from && q.to && new Date(q.from) >= new Date(q.to))
        throw new HttpProblem(422, 'querystring.to: must be after from', {
          errors: [{ field: 'querystring.to', reason: 'must be after from' }],
        });
      return listAuditEntries(database, {
        recordType: q.recordType,
        recordId: q.recordId,
        actorId: q.actorId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        before: q.before,
        limit: q.limit,
      });
    },
  );

  app.get(
    '/api/audit/entries/:id/proof',
    {
      config: access,
      schema: {
        summary: "An entry's RFC 9162 inclusion proof against the latest signed checkpoint",
        tags: ['audit'],
        params: z.object({ id: z.uuid() }),
        response: {
          200: z.object({
            entry: z.record(z.string(), z.unknown()),
            leafIndex: z.number().int(),
            checkpoint: checkpointSchema,
            proof: z.array(z.string()),
          }),
        },
      },
    },
    async (request) => {
      const proof = await inclusionProofFor(database, request.params.id);
      if (!proof)
        throw new HttpProblem(
          404,
          'No such entry, or it is not yet under a signed checkpoint (checkpoints are made every few seconds; try again shortly).',
        );
      return proof;
    },
  );

  app.get(
    '/api/audit/checkpoints',
    {
      config: access,
      schema: {
        summary: 'The signed checkpoints of the ledger, oldest first',
        tags: ['audit'],
        response: { 200: z.object({ checkpoints: z.array(checkpointSchema) }) },
      },
    },
    async () => ({ checkpoints: await listCheckpoints(database.db) }),
  );
}
