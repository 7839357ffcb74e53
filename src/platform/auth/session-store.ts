import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { SessionEndReason } from './auth-tables.ts';
import { newSecretToken, sha256Hex } from './secret-tokens.ts';
import { newSessionTimes, type SessionPolicy } from './session-rules.ts';
import type { UserWithPartner } from './user-store.ts';

type Db = Kysely<Schema>;

export type NewSession = {
  userId: string;
  policy: SessionPolicy;
  now: Date;
  ip?: string | null;
  userAgent?: string | null;
};

/** Starts a session; returns the cookie value, which exists only in the response that sets it. */
export async function createSession(db: Db, session: NewSession): Promise<{ id: string; token: string }> {
  const token = newSecretToken();
  const times = newSessionTimes(session.now, session.policy);
  const row = await db
    .insertInto('sessions')
    .values({
      token_hash: sha256Hex(token),
      user_id: session.userId,
      created_at: times.createdAt,
      last_seen_at: times.lastSeenAt,
      idle_timeout_seconds: times.idleTimeoutSeconds,
      absolute_expires_at: times.absoluteExpiresAt,
      ended_at: null,
      ended_reason: null,
      ip: session.ip ?? null,
      user_agent: session.userAgent?.slice(0, 500) ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

export type SessionWithUser = {
  session: {
    id: string;
    lastSeenAt: Date;
    idleTimeoutSeconds: number;
    absoluteExpiresAt: Date;
    endedAt: Date | null;
  };
  user: UserWithPartner;
};

export async function findSessionByToken(db: Db, token: string): Promise<SessionWithUser | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('partners', 'partners.id', 'users.partner_id')
    .selectAll('users')
    .select([
      'sessions.id as session_id',
      'sessions.last_seen_at as session_last_seen_at',
      'sessions.idle_timeout_seconds as session_idle_timeout_seconds',
      'sessions.absolute_expires_at as session_absolute_expires_at',
      'sessions.ended_at as session_ended_at',
      'partners.name as partner_name',
      'partners.type as partner_type',
    ])
    .where('sessions.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    session_id,
    session_last_seen_at,
    session_idle_timeout_seconds,
    session_absolute_expires_at,
    session_ended_at,
    ...user
  } = row;
  return {
    session: {
      id: session_id,
      lastSeenAt: session_last_seen_at,
      idleTimeoutSeconds: session_idle_timeout_seconds,
      absoluteExpiresAt: session_absolute_expires_at,
      endedAt: session_ended_at,
    },
    user,
  };
}

export async function touchSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .where('last_seen_at', '<', now)
    .execute();
}

export async function endSession(
  db: Db,
  sessionId: string,
  reason: SessionEndReason,
  now: Date,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ ended_at: now, ended_reason: reason })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Ends every open session of a user, except `keep` (the one asking, after a password change). */
export async function endUserSessions(
  db: Db,
  userId: string,
  reason: SessionEndReason,
  now: Date,
  keep?: string,
): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ ended_at: now, ended_reason: reason })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null);
  if (keep) query = query.where('id', '!=', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
