import type { PartnerType } from '../../partners/partner-tables.ts';
import type { Actor } from '../access/actor.ts';
import { type Role, roleAssignmentProblems } from '../access/roles.ts';
import { partnerScopeOf, visibleUsers } from '../access/scope.ts';
import { appendLedgerEntry } from '../audit/ledger-writer.ts';
import { inTransaction } from '../db/transaction.ts';
import { HttpProblem, invalidInput, notFound } from '../http/problem.ts';
import type { AuthContext } from './auth-context.ts';
import { hashPassword } from './password-hashing.ts';
import { endUserSessions } from './session-store.ts';
import { newTemporaryPassword } from './temporary-passwords.ts';
import { insertUser, lockUser, normaliseEmail, type UserRow, updateUser, userRecord } from './user-store.ts';

type Db = AuthContext['db'];
type Admin = Exclude<Actor, { kind: 'system' }>;

/** A user as administrators see it (`GET /api/admin/users`): never a hash, secret or code. */
export type AdminUser = {
  id: string;
  email: string;
  displayName: string;
  partner: { id: string; name: string; type: PartnerType };
  roles: Role[];
  secondFactorEnabled: boolean;
  lockedUntil: string | null;
  active: boolean;
  createdAt: string;
};

const userStream = (id: string) => `user:${id}`;

function adminUsersQuery(db: Db, actor: Actor) {
  return visibleUsers(db, actor)
    .innerJoin('partners', 'partners.id', 'users.partner_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.roles',
      'users.totp_enabled_at',
      'users.locked_until',
      'users.active',
      'users.created_at',
      'users.partner_id',
      'partners.name as partner_name',
      'partners.type as partner_type',
    ]);
}

type AdminUserRow = Awaited<ReturnType<ReturnType<typeof adminUsersQuery>['executeTakeFirstOrThrow']>>;

function toAdminUser(row: AdminUserRow, now: Date): AdminUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    partner: { id: row.partner_id, name: row.partner_name, type: row.partner_type },
    roles: row.roles,
    secondFactorEnabled: row.totp_enabled_at !== null,
    lockedUntil: row.locked_until && row.locked_until > now ? row.locked_until.toISOString() : null,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listUsers(ctx: AuthContext, actor: Actor, partnerId?: string): Promise<AdminUser[]> {
  let query = adminUsersQuery(ctx.db, actor);
  if (partnerId) query = query.where('users.partner_id', '=', partnerId);
  const rows = await query.orderBy('partners.name').orderBy('users.email').execute();
  const now = ctx.now();
  return rows.map((row) => toAdminUser(row, now));
}

async function visibleAdminUser(ctx: AuthContext, db: Db, actor: Actor, id: string): Promise<AdminUser> {
  const row = await adminUsersQuery(db, actor).where('users.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The user');
  return toAdminUser(row, ctx.now());
}

/** The user, locked for the transaction, if the administrator may see them; otherwise 404. */
async function lockVisibleUser(db: Db, actor: Actor, id: string) {
  const visible = await visibleUsers(db, actor)
    .select('users.id')
    .where('users.id', '=', id)
    .executeTakeFirst();
  const user = visible ? await lockUser(db, id) : undefined;
  if (!user) throw notFound('The user');
  return user;
}

async function partnerFor(db: Db, actor: Actor, partnerId: string) {
  const scope = partnerScopeOf(actor);
  const partner = await db
    .selectFrom('partners')
    .select(['id', 'type'])
    .where('id', '=', partnerId)
    .executeTakeFirst();
  if (!partner || (scope.kind === 'partner' && scope.partnerId !== partnerId))
    throw invalidInput([{ field: 'body.partnerId', reason: 'is not a partner you administer' }]);
  return partner;
}

export type NewUserInput = {
  email: string;
  displayName: string;
  partnerId: string;
  roles: string[];
  patientId?: string | null | undefined;
  providerId?: string | null | undefined;
};

async function linkProblems(db: Db, input: NewUserInput) {
  const problems: Array<{ field: string; reason: string }> = [];
  if (input.patientId) {
    const patient = await db
      .selectFrom('patients')
      .select('id')
      .where('id', '=', input.patientId)
      .executeTakeFirst();
    if (!patient) problems.push({ field: 'body.patientId', reason: 'is not a patient' });
  }
  if (input.providerId) {
    const provider = await db
      .selectFrom('providers')
      .select('partner_id')
      .where('id', '=', input.providerId)
      .executeTakeFirst();
    if (!provider) problems.push({ field: 'body.providerId', reason: 'is not a provider' });
    else if (provider.partner_id !== input.partnerId)
      problems.push({ field: 'body.providerId', reason: 'belongs to another partner than the user' });
  }
  return problems;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';

/** Creates an account with a temporary password, which must be replaced at the first sign-in. */
export async function createUser(
  ctx: AuthContext,
  actor: Admin,
  input: NewUserInput,
): Promise<{ user: AdminUser; temporaryPassword: string }> {
  const partner = await partnerFor(ctx.db, actor, input.partnerId);
  const problems = [
    ...roleAssignmentProblems({
      roles: input.roles,
      partnerType: partner.type,
      patientId: input.patientId ?? null,
      providerId: input.providerId ?? null,
    }).map((p) => ({ ...p, field: `body.${p.field}` })),
    ...(await linkProblems(ctx.db, input)),
  ];
  if (problems.length) throw invalidInput(problems);
  const email = normaliseEmail(input.email);
  const temporaryPassword = newTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const now = ctx.now();
  try {
    const id = await inTransaction(ctx.db, async (trx) => {
      const created = await insertUser(trx, {
        partnerId: partner.id,
        email,
        displayName: input.displayName,
        roles: input.roles as Role[],
        patientId: input.patientId ?? null,
        providerId: input.providerId ?? null,
        passwordHash,
        mustChangePassword: true,
        now,
      });
      await appendLedgerEntry(
        trx,
        {
          stream: userStream(created.id),
          actor,
          action: 'user.created',
          recordType: 'user',
          recordId: created.id,
          after: userRecord(created),
        },
        now,
      );
      return created.id;
    });
    return { user: await visibleAdminUser(ctx, ctx.db, actor, id), temporaryPassword };
  } catch (error) {
    if (isUniqueViolation(error))
      throw new HttpProblem(409, `A user with the email ${email} already exists.`, {
        errors: [{ field: 'body.email', reason: 'is already in use' }],
      });
    throw error;
  }
}

export type UserChange = {
  displayName?: string | undefined;
  roles?: string[] | undefined;
  active?: boolean | undefined;
  reason: string;
};

export async function changeUser(
  ctx: AuthContext,
  actor: Admin,
  id: string,
  change: UserChange,
): Promise<AdminUser> {
  const now = ctx.now();
  await inTransaction(ctx.db, async (trx) => {
    const user = await lockVisibleUser(trx, actor, id);
    const roles = (change.roles ?? user.roles) as string[];
    const problems = roleAssignmentProblems({
      roles,
      partnerType: user.partner_type,
      patientId: user.patient_id,
      providerId: user.provider_id,
    })
      // The patient or provider link is fixed at creation: a role change cannot make a nurse a patient.
      .map((p) => ({
        field: 'body.roles',
        reason: p.field === 'roles' ? p.reason : `${p.field} ${p.reason}`,
      }));
    if (problems.length) throw invalidInput(problems);
    if (
      user.id === actor.id &&
      (change.active === false || (change.roles && !change.roles.includes('admin')))
    )
      throw new HttpProblem(
        409,
        'You cannot deactivate your own account or remove your own administrator role; ask another administrator.',
        { title: 'Conflict' },
      );
    const patch: Parameters<typeof updateUser>[2] = {};
    if (change.displayName !== undefined && change.displayName !== user.display_name)
      patch.display_name = change.displayName;
    if (change.roles && [...change.roles].sort().join() !== [...user.roles].sort().join())
      patch.roles = change.roles as Role[];
    if (change.active !== undefined && change.active !== user.active) patch.active = change.active;
    if (Object.keys(patch).length === 0) return;
    const updated = await updateUser(trx, id, patch, now);
    if (patch.active === false) await endUserSessions(trx, id, 'deactivated', now);
    await appendLedgerEntry(
      trx,
      {
        stream: userStream(id),
        actor,
        action: 'user.changed',
        recordType: 'user',
        recordId: id,
        before: userRecord(user),
        after: userRecord(updated),
        reason: change.reason,
      },
      now,
    );
  });
  return visibleAdminUser(ctx, ctx.db, actor, id);
}

/** Sets a temporary password (to be replaced at the next sign-in), ends the user's sessions and lifts a lockout. */
export async function resetPassword(
  ctx: AuthContext,
  actor: Admin,
  id: string,
  reason: string,
): Promise<{ temporaryPassword: string }> {
  const temporaryPassword = newTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const now = ctx.now();
  await inTransaction(ctx.db, async (trx) => {
    const user = await lockVisibleUser(trx, actor, id);
    const updated = await updateUser(
      trx,
      id,
      {
        password_hash: passwordHash,
        password_changed_at: now,
        must_change_password: true,
        failed_login_count: 0,
        locked_until: null,
      },
      now,
    );
    await endUserSessions(trx, id, 'password_reset', now);
    await appendLedgerEntry(
      trx,
      {
        stream: userStream(id),
        actor,
        action: 'user.password_reset',
        recordType: 'user',
        recordId: id,
        before: userRecord(user),
        after: userRecord(updated),
        reason,
      },
      now,
    );
  });
  return { temporaryPassword };
}

export async function unlockUser(ctx: AuthContext, actor: Admin, id: string, reason: string): Promise<void> {
  const now = ctx.now();
  await inTransaction(ctx.db, async (trx) => {
    const user: UserRow = await lockVisibleUser(trx, actor, id);
    if (user.locked_until === null && user.failed_login_count === 0) return;
    const updated = await updateUser(trx, id, { locked_until: null, failed_login_count: 0 }, now);
    await appendLedgerEntry(
      trx,
      {
        stream: userStream(id),
        actor,
        action: 'user.unlocked',
        recordType: 'user',
        recordId: id,
        before: { ...userRecord(user), consecutiveFailedSignIns: user.failed_login_count },
        after: { ...userRecord(updated), consecutiveFailedSignIns: 0 },
        reason,
      },
      now,
    );
  });
}
