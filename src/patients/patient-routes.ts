import { z } from 'zod';
import { actorOf } from '../platform/access/access-hook.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/app-type.ts';
import { notFound } from '../platform/http/problem.ts';
import { findVisiblePatient, listVisiblePatients, recordPhiAccess } from './patient-store.ts';
import { PATIENT_SEXES } from './patient-tables.ts';

const patientSchema = z.object({
  id: z.string().uuid(),
  givenName: z.string(),
  familyName: z.string(),
  birthDate: z.string().describe('YYYY-MM-DD'),
  sex: z.enum(PATIENT_SEXES),
  mrn: z.string().describe('medical record number at the treatment centre'),
  treatmentCentre: z.object({ id: z.string().uuid(), name: z.string() }),
});

const access = { access: { permission: 'patients:read' } } as const;
const tags = ['patients'];

/**
 * Patients' identity is PHI: each route reads through the store's partner scoping, and every
 * patient shown is written to the PHI access log before the response leaves.
 */
export function registerPatientRoutes(app: App, database: Database): void {
  app.get(
    '/api/patients',
    {
      config: access,
      schema: {
        summary: 'The patients you may see: your centre’s, your own, or your patients as a provider',
        tags,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ patients: z.array(patientSchema) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const patients = await listVisiblePatients(database.db, actor, request.query.limit);
      await recordPhiAccess(database.db, {
        actor,
        patientIds: patients.map((p) => p.id),
        action: 'patient.listed',
        route: 'GET /api/patients',
        requestId: String(request.id),
      });
      return { patients };
    },
  );

  app.get(
    '/api/patients/:id',
    {
      config: access,
      schema: {
        summary: 'One patient (404 when it does not exist or is not yours to see)',
        tags,
        params: z.object({ id: z.string().uuid() }),
        response: { 200: z.object({ patient: patientSchema }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const patient = await findVisiblePatient(database.db, actor, request.params.id);
      if (!patient) throw notFound('The patient');
      await recordPhiAccess(database.db, {
        actor,
        patientIds: [patient.id],
        action: 'patient.viewed',
        route: 'GET /api/patients/:id',
        requestId: String(request.id),
      });
      return { patient };
    },
  );
}
