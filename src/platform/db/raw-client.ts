/** The few operations migrations and locks need beneath Kysely, identical on PGlite and node-postgres. */
export type RawClient = {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  release(): void;
};
