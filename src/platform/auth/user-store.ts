import type { Kysely, Selectable } from 'kysely';
import type { PartnerType } from '../../partners/partner-tables.ts';
import type { Actor } from '../access/actor.ts';
import { permissionsOf } from '../access/permissions.ts';
import type { Role } from '../access/roles.ts';
import type { Schema } from '../db/schema.ts';
import type { AuthTables } from './auth-tables.ts';

export type UserRow = Selectable<AuthTables['users']>;
export type UserWithPartner = UserRow & { partner_name: string; partner_type: PartnerType };
type Db = Kysely<Schema>;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function withPartner(db: Db) {
  return db
    .selectFrom('users')
    .innerJoin('partners', 'partners.id', 'users.partner_id')
    .selectAll('users')
    .select(['partners.name as partner_name', 'partners.type as partner_type']);
}

export async function findUserByEmail(db: Db, email: string): Promise<UserWithPartner | undefined> {
  return withPartner(db).where('users.email', '=', normaliseEmail(email)).executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<UserWithPartner | undefined> {
  return withPartner(db).where('users.id', '=', id).executeTakeFirst();
}

/** The user's row, locked until the transaction ends: concurrent sign-ins of one user take turns. */
export async function lockUser(trx: Db, id: string): Promise<UserWithPartner | undefined> {
  return withPartner(trx).where('users.id', '=', id).forUpdate('users').executeTakeFirst();
}

export function userActor(user: UserWithPartner, sessionId?: string): Extract<Actor, { kind: 'user' }> {
  return {
    kind: 'user',
    id: user.id,
    displayName: user.display_name,
    partnerId: user.partner_id,
    partnerType: user.partner_type,
    roles: user.roles,
    permissions: permissionsOf(user.roles),
    patientId: user.patient_id,
    providerId: user.provider_id,
    ...(sessionId ? { sessionId } : {}),
  };
}

/** What the ledger keeps about an account: never its password hash, second-factor secret or codes. */
export function userRecord(user: UserRow) {
  return {
    email: user.email,
    displayName: user.display_name,
    partnerId: user.partner_id,
    roles: user.roles,
    patientId: user.patient_id,
    providerId: user.provider_id,
    active: user.active,
    mustChangePassword: user.must_change_password,
    secondFactorEnabled: user.totp_enabled_at !== null,
    lockedUntil: user.locked_until?.toISOString() ?? null,
  };
}

export type NewUser = {
  partnerId: string;
  email: string;
  displayName: string;
  roles: Role[];
  patientId?: string | null;
  providerId?: string | null;
  passwordHash: string;
  mustChangePassword: boolean;
  demo?: boolean;
  totpSecret?: string | null;
  now: Date;
};

export async function insertUser(trx: Db, user: NewUser): Promise<UserRow> {
  return trx
    .insertInto('users')
    .values({
      partner_id: user.partnerId,
      email: normaliseEmail(user.email),
      display_name: user.displayName,
      roles: user.roles,
      patient_id: user.patientId ?? null,
      provider_id: user.providerId ?? null,
      password_hash: user.passwordHash,
      password_changed_at: user.now,
      must_change_password: user.mustChangePassword,
      demo: user.demo ?? false,
      totp_secret: user.totpSecret ?? null,
      totp_enabled_at: user.totpSecret ? user.now : null,
      locked_until: null,
      totp_last_step: null,
      totp_pending_secret: null,
      created_at: user.now,
      updated_at: user.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type UserPatch = Partial<{
  display_name: string;
  roles: Role[];
  active: boolean;
  password_hash: string;
  password_changed_at: Date;
  must_change_password: boolean;
  failed_login_count: number;
  locked_until: Date | null;
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  totp_pending_secret: string | null;
}>;

export async function updateUser(trx: Db, id: string, patch: UserPatch, now: Date): Promise<UserRow> {
  return trx
    .updateTable('users')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Accepts a TOTP step only if it is later than the last one accepted, atomically: of two requests
 * racing with the same code, one wins.
 */
export async function claimTotpStep(trx: Db, userId: string, step: number): Promise<boolean> {
  const row = await trx
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function replaceRecoveryCodes(
  trx: Db,
  userId: string,
  hashes: string[],
  now: Date,
): Promise<void> {
  await trx.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  if (hashes.length)
    await trx
      .insertInto('user_recovery_codes')
      .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now, used_at: null })))
      .execute();
}

/** Marks an unused recovery code used; false when there is no such unused code. */
export async function spendRecoveryCode(
  trx: Db,
  userId: string,
  codeHash: string,
  now: Date,
): Promise<boolean> {
  const row = await trx
    .updateTable('user_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function unusedRecoveryCodeCount(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('user_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
