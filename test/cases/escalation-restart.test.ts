import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/platform/db/database.ts';
import { listeningUrl, runCli, waitForReady } from '../support/cli-process.ts';

/**
 * The demo's overdue referral fell due days before the server first started: the server was
 * "down at the due time". Its escalation must fire at start, once, and never again on restarts.
 */
describe('escalations across real server restarts on the embedded database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-escalation-'));
  const env = {
    CELLWAY_DATA_DIR: path.join(dir, 'data'),
    CELLWAY_LEDGER_KEY_FILE: path.join(dir, 'key.pem'),
    PORT: '0',
    JOBS_POLL_MS: '100',
  };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function runServerFor(ms: number, args: string[]) {
    const server = runCli(['start', '--no-web-build', ...args], env);
    await server.waitForOutput(/Cellway is running at/, 120_000);
    await waitForReady(listeningUrl(server.stderr()));
    await new Promise((resolve) => setTimeout(resolve, ms));
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0, server.stderr());
  }

  async function firings() {
    const database = await openDatabase({ kind: 'pglite', dataDir: env.CELLWAY_DATA_DIR });
    try {
      const { rows } = await sql<{
        timer: string;
        n: number;
      }>`select kind as timer, count(*)::int as n from case_timer_firings group by kind order by kind`.execute(
        database.db,
      );
      const ledger = await sql<{
        n: number;
      }>`select count(*)::int as n from ledger_entries where action = 'case.escalation_fired'`.execute(
        database.db,
      );
      return { byTimer: Object.fromEntries(rows.map((r) => [r.timer, r.n])), ledger: ledger.rows[0]?.n ?? 0 };
    } finally {
      await database.close();
    }
  }

  test('an escalation due while the server was down fires once at start, and not again after restarts', async () => {
    await runServerFor(3_000, ['--demo']);
    const first = await firings();
    assert.ok((first.byTimer.escalation ?? 0) >= 1, `an escalation fired at start: ${JSON.stringify(first)}`);
    assert.equal(first.ledger, first.byTimer.escalation, 'each firing is in the ledger once');

    await runServerFor(2_000, []);
    await runServerFor(2_000, ['--demo']);
    assert.deepEqual(await firings(), first, 'restarts (and re-running the seed) fire nothing again');

    // SIGTERM sealed everything written under a signed checkpoint (the timer alone runs every 10 s).
    const verified = runCli(['ledger', 'verify'], env);
    assert.equal((await verified.exited).code, 0, verified.stderr());
    assert.match(verified.stderr(), /signed checkpoints, 0 not yet under a checkpoint\./);
  });
});
