import type { ColumnType, Generated } from 'kysely';

export const JOB_STATUSES = ['queued', 'running', 'done', 'dead'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** JSON as stored; written through `jsonbValue` (job-store.ts) so both drivers encode it the same way. */
export type JsonObject = { [key: string]: unknown };

export type JobTables = {
  jobs: {
    id: string;
    kind: string;
    payload: ColumnType<JsonObject, JsonObject, never>;
    run_at: Date;
    status: Generated<JobStatus>;
    attempts: Generated<number>;
    max_attempts: Generated<number>;
    locked_by: string | null;
    locked_until: Date | null;
    last_error: string | null;
    dedupe_key: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    done_at: Date | null;
  };
};
