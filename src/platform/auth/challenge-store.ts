import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { ChallengeStage } from './auth-tables.ts';
import { newSecretToken, sha256Hex } from './secret-tokens.ts';

type Db = Kysely<Schema>;

/** A sign-in half done (password right, a second factor or a new password still owed) lasts this long. */
export const CHALLENGE_MINUTES = 10;

export async function createChallenge(
  db: Db,
  userId: string,
  stage: ChallengeStage,
  now: Date,
): Promise<string> {
  const token = newSecretToken();
  // One pending sign-in per user: a new password entry supersedes an older half-done one.
  await db
    .updateTable('login_challenges')
    .set({ consumed_at: now })
    .where('user_id', '=', userId)
    .where('consumed_at', 'is', null)
    .execute();
  await db
    .insertInto('login_challenges')
    .values({
      token_hash: sha256Hex(token),
      user_id: userId,
      stage,
      created_at: now,
      expires_at: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000),
      consumed_at: null,
    })
    .execute();
  return token;
}

export type OpenChallenge = { id: string; userId: string; stage: ChallengeStage };

/** The open challenge this token names, locked for the transaction; undefined when unknown, used or expired. */
export async function findOpenChallenge(
  db: Db,
  token: string,
  now: Date,
): Promise<OpenChallenge | undefined> {
  const row = await db
    .selectFrom('login_challenges')
    .select(['id', 'user_id', 'stage'])
    .where('token_hash', '=', sha256Hex(token))
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, stage: row.stage } : undefined;
}

export async function moveChallenge(db: Db, id: string, stage: ChallengeStage): Promise<void> {
  await db.updateTable('login_challenges').set({ stage }).where('id', '=', id).execute();
}

export async function consumeChallenge(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('login_challenges').set({ consumed_at: now }).where('id', '=', id).execute();
}
