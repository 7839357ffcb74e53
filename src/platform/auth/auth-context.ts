import type { Kysely } from 'kysely';
import type { AuthSettings } from '../config.ts';
import type { Schema } from '../db/schema.ts';

/** What the authentication use cases need: the database, the settings, the clock, the password list. */
export type AuthContext = {
  db: Kysely<Schema>;
  settings: AuthSettings;
  now: () => Date;
  commonPasswords: ReadonlySet<string>;
};
