import { z } from 'zod';
import { actorOf } from '../platform/access/access-hook.ts';
import { ROLE_PERMISSIONS } from '../platform/access/permissions.ts';
import { ROLE_NAMES } from '../platform/access/roles.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/app-type.ts';
import { HttpProblem, notFound } from '../platform/http/problem.ts';
import { signaturesOf, verifySignerCredentials } from '../signatures/sign-record.ts';
import { signatureCredentialsSchema, signatureSchema } from '../signatures/signature-routes.ts';
import { partnerTimeZone } from '../signatures/site-time-zone.ts';
import {
  changeTemplateStatus,
  createTemplateDraft,
  findTemplate,
  listTemplates,
  PUBLICATION_MEANING,
  type StoredTemplate,
  TEMPLATE_VERSION_RECORD,
  type TemplateChange,
  templateVersionRecordId,
} from './template-store.ts';
import type { TemplateError } from './template-validation.ts';
import { validateTemplate } from './template-validation.ts';
import { compareTemplates, describeDifference } from './template-versions.ts';

const read = { access: { permission: 'therapy:read' } } as const;
const manage = { access: { permission: 'therapy:manage' } } as const;
const tags = ['therapy templates'];

const listItem = z.object({
  code: z.string(),
  version: z.number().int(),
  title: z.string(),
  therapyType: z.string(),
  status: z.enum(['draft', 'published', 'retired']),
  publishedAt: z.string().nullable(),
});
const templateView = z.object({
  code: z.string(),
  version: z.number().int(),
  title: z.string(),
  therapyType: z.string(),
  status: z.enum(['draft', 'published', 'retired']),
  document: z.unknown(),
  publication: signatureSchema
    .nullable()
    .optional()
    .describe('the signature that approved this version for use'),
});
const versionParams = z.object({ code: z.string().min(1).max(100), version: z.coerce.number().int().min(1) });
const reasonBody = z.object({ reason: z.string().trim().min(1, 'must say why').max(2000) });
const publishBody = reasonBody.extend({ signature: signatureCredentialsSchema });

/** Who may sign a publication: the roles that manage templates. */
const PUBLISHER_ROLES = ROLE_NAMES.filter((role) => ROLE_PERMISSIONS[role].includes('therapy:manage'));

const view = (t: StoredTemplate) => ({
  code: t.code,
  version: t.version,
  title: t.title,
  therapyType: t.therapyType,
  status: t.status,
  document: t.document,
});

/** A problem in a template, named by its path inside the submitted document. */
const documentErrors = (errors: TemplateError[]) =>
  errors.map((e) => ({
    field: `body.document.${e.path}`.replace(/\.$/, ''),
    reason: e.reason,
    path: e.path,
  }));

function unwrap(result: TemplateChange, code?: string, version?: number): StoredTemplate {
  if (result.ok) return result.template;
  const error = result.error;
  if (error.kind === 'not_found') throw notFound(`Template ${code} v${version}`);
  if (error.kind === 'invalid_template') {
    const errors = documentErrors(error.errors);
    throw new HttpProblem(422, errors.map((e) => `${e.field}: ${e.reason}`).join('; '), {
      title: 'Invalid template',
      errors,
    });
  }
  throw new HttpProblem(409, error.reason);
}

/** Therapy templates: read by every staff role, drafted, published and retired by the programme. */
export function registerTemplateRoutes(app: App, database: Database, now: () => Date): void {
  // Wherever a version is shown, so is the manifestation of the signature that released it.
  const withPublication = async (t: StoredTemplate) => {
    const signatures = await signaturesOf(
      database,
      TEMPLATE_VERSION_RECORD,
      templateVersionRecordId(t.code, t.version),
    );
    return { ...view(t), publication: signatures.find((s) => s.meaning === PUBLICATION_MEANING) ?? null };
  };
  app.get(
    '/api/therapy/templates',
    {
      config: read,
      schema: {
        summary: 'Every template version',
        tags,
        response: { 200: z.object({ templates: z.array(listItem) }) },
      },
    },
    async () => ({ templates: await listTemplates(database.db) }),
  );

  app.get(
    '/api/therapy/templates/:code/versions/:version',
    {
      config: read,
      schema: {
        summary: 'One template version with its document',
        tags,
        params: versionParams,
        response: { 200: z.object({ template: templateView }) },
      },
    },
    async (request) => {
      const found = await findTemplate(database.db, request.params.code, request.params.version);
      if (!found) throw notFound(`Template ${request.params.code} v${request.params.version}`);
      return { template: await withPublication(found) };
    },
  );

  app.post(
    '/api/therapy/templates/validate',
    {
      config: manage,
      schema: {
        summary: 'Check a template document without storing it; problems name their path inside it',
        tags,
        body: z.object({ document: z.unknown() }),
        response: {
          200: z.object({
            ok: z.boolean(),
            errors: z.array(z.object({ path: z.string(), reason: z.string() })),
          }),
        },
      },
    },
    async (request) => {
      const result = validateTemplate(request.body.document);
      return result.ok ? { ok: true, errors: [] } : { ok: false, errors: result.errors };
    },
  );

  app.post(
    '/api/therapy/templates',
    {
      config: manage,
      schema: {
        summary: 'Store a new draft version (422 naming the path inside the document when invalid)',
        tags,
        body: z.object({ document: z.unknown() }),
        response: { 201: z.object({ template: templateView }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await inTransaction(database, (trx) =>
        createTemplateDraft(trx, actor, request.body.document, now()),
      );
      reply.code(201);
      return { template: view(unwrap(result)) };
    },
  );

  app.post(
    '/api/therapy/templates/:code/versions/:version/publish',
    {
      config: manage,
      schema: {
        summary:
          'Publish a draft with your electronic signature ("Approved for use"): your password again, and your one-time code when asked. The signature is bound to the hash of this exact version.',
        tags,
        params: versionParams,
        body: publishBody,
        response: { 200: z.object({ template: templateView, signature: signatureSchema }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { code, version } = request.params;
      // Cheap refusals first: a password check is slow by design and a failed one counts.
      const current = await findTemplate(database.db, code, version);
      if (!current) throw notFound(`Template ${code} v${version}`);
      if (current.status !== 'draft')
        throw new HttpProblem(409, `version ${version} is ${current.status}; only a draft can be published`);
      const verified = await verifySignerCredentials(
        database,
        {
          signer: actor,
          credentials: request.body.signature,
          meaning: PUBLICATION_MEANING,
          recordType: TEMPLATE_VERSION_RECORD,
          recordId: templateVersionRecordId(code, version),
          recordHash: current.recordHash,
          requiredRoles: PUBLISHER_ROLES,
          siteTimeZone: actor.kind === 'user' ? await partnerTimeZone(database.db, actor.partnerId) : 'UTC',
          reason: request.body.reason,
        },
        now(),
      );
      const result = await inTransaction(database, (trx) =>
        changeTemplateStatus(
          trx,
          actor,
          { code, version, to: 'published', reason: request.body.reason, signer: verified },
          now(),
        ),
      );
      const template = unwrap(result, code, version);
      if (!result.ok || !result.signature) throw new Error('a signed publication returned no signature');
      return { template: { ...view(template), publication: result.signature }, signature: result.signature };
    },
  );

  app.post(
    '/api/therapy/templates/:code/versions/:version/retire',
    {
      config: manage,
      schema: {
        summary: 'Retire a published version: running cases stay on it, new cases cannot start on it',
        tags,
        params: versionParams,
        body: reasonBody,
        response: { 200: z.object({ template: templateView }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { code, version } = request.params;
      const result = await inTransaction(database, (trx) =>
        changeTemplateStatus(
          trx,
          actor,
          { code, version, to: 'retired', reason: request.body.reason },
          now(),
        ),
      );
      return { template: await withPublication(unwrap(result, code, version)) };
    },
  );

  app.get(
    '/api/therapy/templates/:code/compare',
    {
      config: read,
      schema: {
        summary: 'What changed between two versions of a template',
        tags,
        params: z.object({ code: z.string().min(1).max(100) }),
        querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
        response: { 200: z.object({ differences: z.array(z.object({ description: z.string() })) }) },
      },
    },
    async (request) => {
      const { code } = request.params;
      const [a, b] = await Promise.all([
        findTemplate(database.db, code, request.query.from),
        findTemplate(database.db, code, request.query.to),
      ]);
      if (!a) throw notFound(`Template ${code} v${request.query.from}`);
      if (!b) throw notFound(`Template ${code} v${request.query.to}`);
      return {
        differences: compareTemplates(a.document, b.document).map((d) => ({
          description: describeDifference(d),
        })),
      };
    },
  );
}
