import { type Kysely, sql } from 'kysely';
import type { Actor } from '../platform/access/actor.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Schema } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { HttpProblem } from '../platform/http/problem.ts';
import type { JsonObject } from '../platform/jobs/job-tables.ts';
import { jsonbValue } from '../platform/jobs/jsonb-value.ts';
import { recordSignature, type Signature, type VerifiedSigner } from '../signatures/sign-record.ts';
import { templateRecordHash } from './template-hash.ts';
import type { TherapyTemplate } from './template-schema.ts';
import { validateTemplate } from './template-validation.ts';
import {
  createDraft,
  publishVersion,
  retireVersion,
  type TemplateStatus,
  type TemplateVersion,
  type VersionProblem,
} from './template-versions.ts';

type Db = Kysely<Schema>;

export type TemplateListItem = {
  code: string;
  version: number;
  title: string;
  therapyType: string;
  status: TemplateStatus;
  publishedAt: string | null;
};

export type StoredTemplate = TemplateListItem & { document: TherapyTemplate; recordHash: string };

/** The meaning of the Part 11 signature that releases a template version for use in cases. */
export const PUBLICATION_MEANING = 'Approved for use';

/** The record a publication signature names: one exact template version. */
export const TEMPLATE_VERSION_RECORD = 'therapy_template_version';
export const templateVersionRecordId = (code: string, version: number) => `${code}@${version}`;

const stream = (code: string) => `template:${code}`;

export async function listTemplates(db: Db): Promise<TemplateListItem[]> {
  const rows = await db
    .selectFrom('therapy_templates')
    .select(['code', 'version', 'title', 'therapy_type', 'status', 'published_at'])
    .orderBy('code')
    .orderBy('version')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    version: r.version,
    title: r.title,
    therapyType: r.therapy_type,
    status: r.status,
    publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
  }));
}

// Published and retired versions never change, so their parsed documents are kept; a draft is
// re-read (its record hash is part of the key, so an edited draft is never served stale).
const parsedCache = new Map<string, TherapyTemplate>();

function parseStored(code: string, version: number, hash: string, document: unknown): TherapyTemplate {
  const key = `${code}@${version}#${hash}`;
  const cached = parsedCache.get(key);
  if (cached) return cached;
  const result = validateTemplate(document);
  if (!result.ok)
    throw new Error(`stored template ${code} v${version} is invalid: ${JSON.stringify(result.errors)}`);
  parsedCache.set(key, result.template);
  return result.template;
}

export async function findTemplate(
  db: Db,
  code: string,
  version: number,
  options: { forUpdate?: boolean } = {},
): Promise<StoredTemplate | undefined> {
  let query = db
    .selectFrom('therapy_templates')
    .selectAll()
    .where('code', '=', code)
    .where('version', '=', version);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return {
    code: row.code,
    version: row.version,
    title: row.title,
    therapyType: row.therapy_type,
    status: row.status,
    publishedAt: row.published_at ? new Date(row.published_at).toISOString() : null,
    recordHash: row.record_hash,
    document: parseStored(row.code, row.version, row.record_hash, row.document),
  };
}

/** The highest published version of a template: the one a new case starts on. */
export async function latestPublished(db: Db, code: string): Promise<StoredTemplate | undefined> {
  const row = await db
    .selectFrom('therapy_templates')
    .select('version')
    .where('code', '=', code)
    .where('status', '=', 'published')
    .orderBy('version', 'desc')
    .executeTakeFirst();
  return row ? findTemplate(db, code, row.version) : undefined;
}

export type TemplateChange =
  | { ok: true; template: StoredTemplate }
  | { ok: false; error: VersionProblem | { kind: 'not_found' } };

const toVersion = (t: StoredTemplate): TemplateVersion => ({
  code: t.code,
  version: t.version,
  status: t.status,
  template: t.document,
  ...(t.publishedAt ? { publishedAt: t.publishedAt } : {}),
});

/** A new draft version, validated; 409 when the code and version exist already. */
export async function createTemplateDraft(
  trx: Tx,
  actor: Actor,
  document: unknown,
  now: Date,
): Promise<TemplateChange> {
  const draft = createDraft(document);
  if (!draft.ok) return draft;
  const { template } = draft.version;
  const recordHash = templateRecordHash(template);
  const inserted = await trx
    .insertInto('therapy_templates')
    .values({
      code: template.code,
      version: template.version,
      therapy_type: template.therapyType,
      title: template.title,
      status: 'draft',
      document: jsonbValue(template as unknown as JsonObject).value,
      record_hash: recordHash,
      created_at: now,
      created_by: actor.id,
      published_at: null,
      published_by: null,
      retired_at: null,
      retired_by: null,
    })
    .onConflict((oc) => oc.columns(['code', 'version']).doNothing())
    .returning('code')
    .executeTakeFirst();
  if (!inserted)
    return {
      ok: false,
      error: { kind: 'conflict', reason: `${template.code} v${template.version} exists already` },
    };
  await appendLedgerEntry(
    trx,
    {
      stream: stream(template.code),
      actor,
      action: 'template.drafted',
      recordType: 'therapy_template',
      recordId: `${template.code}@${template.version}`,
      after: { status: 'draft', recordHash },
    },
    now,
  );
  const stored = await findTemplate(trx, template.code, template.version);
  return { ok: true, template: stored as StoredTemplate };
}

/**
 * draft → published, or published → retired; each a ledger entry with its reason. Publishing
 * through the API carries the publisher's verified electronic signature ("Approved for use"), bound
 * to the hash of the exact version; it is recorded here, in the same transaction. (The demo seed
 * publishes its built-in templates without one.)
 */
export async function changeTemplateStatus(
  trx: Tx,
  actor: Actor,
  change: {
    code: string;
    version: number;
    to: 'published' | 'retired';
    reason: string;
    signer?: VerifiedSigner;
  },
  now: Date,
): Promise<TemplateChange & { signature?: Signature }> {
  const current = await findTemplate(trx, change.code, change.version, { forUpdate: true });
  if (!current) return { ok: false, error: { kind: 'not_found' } };
  const signed = change.signer?.request;
  const result =
    change.to === 'published'
      ? publishVersion(
          toVersion(current),
          {
            signedBy: change.signer?.userId ?? actor.id,
            meaning: signed?.meaning ?? PUBLICATION_MEANING,
            recordHash: signed?.recordHash ?? current.recordHash,
          },
          now,
        )
      : retireVersion(toVersion(current), now);
  if (!result.ok) return result;
  let signature: Signature | undefined;
  if (change.to === 'published' && change.signer) {
    if (
      signed?.recordType !== TEMPLATE_VERSION_RECORD ||
      signed.recordId !== templateVersionRecordId(change.code, change.version)
    )
      throw new HttpProblem(409, 'The signature was given on another record and cannot publish this one.');
    signature = await recordSignature(trx, change.signer, now);
  }
  await trx
    .updateTable('therapy_templates')
    .set(
      change.to === 'published'
        ? { status: 'published', published_at: now, published_by: actor.id }
        : { status: 'retired', retired_at: now, retired_by: actor.id },
    )
    .where('code', '=', change.code)
    .where('version', '=', change.version)
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: stream(change.code),
      actor,
      action: change.to === 'published' ? 'template.published' : 'template.retired',
      recordType: 'therapy_template',
      recordId: `${change.code}@${change.version}`,
      before: { status: current.status },
      after:
        change.to === 'published'
          ? {
              status: 'published',
              recordHash: current.recordHash,
              meaning: signature?.meaning ?? PUBLICATION_MEANING,
              ...(signature ? { signatureId: signature.id, manifestation: signature.manifestation } : {}),
            }
          : { status: 'retired' },
      reason: change.reason,
    },
    now,
  );
  const stored = await findTemplate(trx, change.code, change.version);
  return { ok: true, template: stored as StoredTemplate, ...(signature ? { signature } : {}) };
}

export async function templateCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('therapy_templates')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}
