import fs from 'node:fs';
import path from 'node:path';
import { createCheckpoint } from '../platform/audit/checkpointer.ts';
import {
  defaultKeyFile,
  loadOrCreateInstallationKey,
  registerPublicKey,
} from '../platform/audit/installation-key.ts';
import { exportLedgerToFile } from '../platform/audit/ledger-db-export.ts';
import { verifyLedgerInDatabase } from '../platform/audit/ledger-db-verify.ts';
import type { Config } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrations.ts';
import { ledgerFileFormat, verifyExportFile } from '../platform/ledger/offline-verify.ts';
import { verifyProofBundle } from '../platform/ledger/proof-bundle.ts';
import { progressBar } from './progress-bar.ts';

const say = (line: string) => process.stderr.write(`${line}\n`);

export type LedgerOptions = { file?: string; out?: string; publicKey?: string };

function trustedKey(options: LedgerOptions): string | undefined {
  return options.publicKey ? fs.readFileSync(options.publicKey, 'utf8') : undefined;
}

/** `cellway ledger verify --file F`: needs nothing but the file (and optionally a trusted key). */
async function verifyFile(file: string, options: LedgerOptions): Promise<number> {
  if (!fs.existsSync(file)) {
    say(`cellway: no such file ${file} (--file)`);
    return 2;
  }
  if ((await ledgerFileFormat(file)) === 'proof-bundle') return verifyProofBundleFile(file, options);
  const bar = progressBar(process.stderr, 'Verifying ');
  const trusted = trustedKey(options);
  const result = await verifyExportFile(file, {
    onProgress: (p) =>
      bar.update(
        Math.round(p.bytesRead / 1_048_576),
        Math.round(p.totalBytes / 1_048_576),
        `MB, ${p.entries} entries`,
      ),
    ...(trusted ? { trustedPublicKeyPem: trusted } : {}),
  });
  if (!result.ok) {
    const e = result.firstError;
    bar.finish(
      `LEDGER EXPORT BROKEN at ${e.line ? `line ${e.line}` : 'the file'}${e.entryId ? `, entry ${e.entryId}` : ''}${e.stream ? ` (stream ${e.stream}, seq ${e.seq})` : ''}: ${e.reason}`,
    );
    return 1;
  }
  bar.finish(
    `Ledger export verified: ${result.entries} entries in ${result.streams} streams, ${result.checkpoints} signed checkpoints, ${result.uncheckpointed} after the last checkpoint; signed by key ${result.keyId}${trusted ? ' (the trusted key)' : ' (the key the file carries: compare it with the installation key you trust)'}.`,
  );
  return 0;
}

/** A proof bundle (e.g. a case's inspection dossier file): small, so read whole and checked in one go. */
function verifyProofBundleFile(file: string, options: LedgerOptions): number {
  const trusted = trustedKey(options);
  const result = verifyProofBundle(fs.readFileSync(file), trusted ? { trustedPublicKeyPem: trusted } : {});
  if (!result.ok) {
    const e = result.firstError;
    say(
      `DOSSIER FILE BROKEN at ${e.line ? `line ${e.line}` : 'the file'}${e.entryId ? `, entry ${e.entryId}` : ''}${e.stream ? ` (stream ${e.stream}${e.seq ? `, seq ${e.seq}` : ''})` : ''}: ${e.reason}`,
    );
    return 1;
  }
  const c = result.checkpoint;
  say(
    `Dossier file verified: ${result.subject.title}. ${result.entries} ledger entries in ${result.streams.length} complete streams (${result.streams.map((s) => `${s.name}: ${s.entries}`).join(', ')}), each proven included in the checkpoint signed at tree size ${c.treeSize} (${c.issuedAt}); whole file signed by key ${result.keyId}${trusted ? ' (the trusted key)' : ' (the key the file carries: compare it with the installation key you trust)'}.`,
  );
  return 0;
}

async function verifyDatabase(config: Config, options: LedgerOptions): Promise<number> {
  const database = await openDatabase(config.database);
  try {
    const bar = progressBar(process.stderr, 'Verifying ');
    const trusted = trustedKey(options);
    const result = await verifyLedgerInDatabase(database, {
      onProgress: (done, total, phase) =>
        bar.update(done, total, phase === 'chains' ? 'hash chains' : 'checkpoints'),
      ...(trusted ? { trustedPublicKeyPem: trusted } : {}),
    });
    if (!result.ok) {
      const p = result.problem;
      const where = p.entryId
        ? `entry ${p.entryId}${p.stream ? ` (stream ${p.stream}, seq ${p.seq})` : ''}`
        : p.leafIndex !== undefined
          ? `leaf ${p.leafIndex}`
          : 'the checkpoints';
      bar.finish(`LEDGER BROKEN at ${where}: ${p.reason}`);
      return 1;
    }
    bar.finish(
      `Ledger verified: ${result.entries} entries in ${result.streams} streams, ${result.checkpoints} signed checkpoints, ${result.uncheckpointed} not yet under a checkpoint.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

export async function runLedgerCommand(
  config: Config,
  subcommand: string | undefined,
  options: LedgerOptions,
) {
  switch (subcommand) {
    case 'verify':
      return options.file ? verifyFile(path.resolve(options.file), options) : verifyDatabase(config, options);
    case 'export':
    case 'checkpoint': {
      const database = await openDatabase(config.database);
      try {
        await migrate(database);
        const key = loadOrCreateInstallationKey(config.ledgerKeyFile ?? defaultKeyFile(config));
        await registerPublicKey(database, key);
        // Seal everything first, so the export is covered by a signature up to its last entry.
        const checkpoint = await createCheckpoint(database, key);
        if (subcommand === 'checkpoint') {
          say(
            checkpoint
              ? `Checkpoint signed at tree size ${checkpoint.treeSize}.`
              : 'Nothing new to checkpoint.',
          );
          return 0;
        }
        const out = path.resolve(
          options.out ?? `cellway-ledger-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`,
        );
        const summary = await exportLedgerToFile(database, key, out);
        say(
          `Exported ${summary.entries} entries and ${summary.checkpoints} checkpoints to ${out} (${summary.bytes} bytes).`,
        );
        say(`Check it anywhere with: cellway ledger verify --file ${path.basename(out)}`);
        return 0;
      } finally {
        await database.close();
      }
    }
    default:
      say(
        'cellway ledger: use `ledger verify [--file F] [--public-key F]`, `ledger export [--out F]` or `ledger checkpoint`',
      );
      return 2;
  }
}
