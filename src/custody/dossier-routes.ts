import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordPhiAccess } from '../patients/patient-store.ts';
import { actorOf } from '../platform/access/access-hook.ts';
import { type InstallationKey, registerPublicKey } from '../platform/audit/installation-key.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/app-type.ts';
import { caseForCustody } from './custody-items.ts';
import { renderDossierPdf } from './dossier/dossier-pdf.ts';
import { assembleDossier } from './dossier-assembly.ts';

/** The inspection dossier of a case: a PDF to read and an NDJSON file that verifies offline. */
export function registerDossierRoutes(
  app: App,
  database: Database,
  now: () => Date,
  ledgerKey: () => InstallationKey,
): void {
  const build = async (request: FastifyRequest<{ Params: { id: string } }>, kind: 'pdf' | 'ndjson') => {
    const actor = actorOf(request);
    // Unknown or out-of-scope cases are refused before the installation key is touched.
    await caseForCustody(database.db, actor, request.params.id);
    const key = ledgerKey();
    await registerPublicKey(database, key);
    const dossier = await assembleDossier(database, actor, request.params.id, key, now());
    if (dossier.patientIdShown)
      await recordPhiAccess(database.db, {
        actor,
        patientIds: [dossier.patientIdShown],
        action: `custody.dossier_${kind}`,
        route: `GET /api/cases/:id/dossier.${kind}`,
        requestId: String(request.id),
      });
    return dossier;
  };
  const attach = (reply: FastifyReply, type: string, name: string) => {
    reply.type(type);
    reply.header('content-disposition', `attachment; filename="${name}"`);
  };
  const params = z.object({ id: z.string().uuid() });

  app.get(
    '/api/cases/:id/dossier.ndjson',
    {
      config: { access: { permission: 'dossier:read' } },
      schema: {
        summary:
          'The machine-readable dossier: the ledger entries of the case with inclusion proofs (cellway ledger verify --file)',
        tags: ['custody'],
        params,
      },
    },
    async (request, reply) => {
      const dossier = await build(request, 'ndjson');
      attach(reply, 'application/x-ndjson', dossier.fileName);
      return dossier.file;
    },
  );

  app.get(
    '/api/cases/:id/dossier.pdf',
    {
      config: { access: { permission: 'dossier:read' } },
      schema: {
        summary:
          'The inspection dossier as PDF: hand-offs, signatures with manifestation, condition data, deviations',
        tags: ['custody'],
        params,
      },
    },
    async (request, reply) => {
      const dossier = await build(request, 'pdf');
      attach(reply, 'application/pdf', dossier.fileName.replace(/\.ndjson$/, '.pdf'));
      return renderDossierPdf(dossier.model);
    },
  );
}
