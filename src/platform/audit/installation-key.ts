import { createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { generateInstallationKeyPair, keyIdOf, ledgerOrigin } from '../ledger/checkpoint.ts';

export type InstallationKey = { keyId: string; origin: string; publicKeyPem: string; privateKeyPem: string };

/**
 * The installation's Ed25519 key signs ledger checkpoints. It lives in a file beside the data,
 * never in the database: whoever can rewrite the database must not also be able to re-sign it.
 * Several processes of one installation read the same file (or CELLWAY_LEDGER_KEY_FILE).
 */
export function defaultKeyFile(config: Config): string {
  if (config.database.kind === 'pglite' && config.database.dataDir)
    return path.join(path.dirname(config.database.dataDir), 'ledger-signing-key.pem');
  return path.resolve('.cellway', 'ledger-signing-key.pem');
}

export function loadOrCreateInstallationKey(file: string): InstallationKey {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) {
    const pair = generateInstallationKeyPair();
    try {
      fs.writeFileSync(file, pair.privateKeyPem, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Another process of this installation created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return keyFromPem(fs.readFileSync(file, 'utf8'));
}

/**
 * A key that lives only as long as this process: for servers built without an installation (tests,
 * tools), so nothing is ever written into the working directory and no real key is touched.
 */
export function ephemeralInstallationKey(): InstallationKey {
  return keyFromPem(generateInstallationKeyPair().privateKeyPem);
}

export function keyFromPem(privateKeyPem: string): InstallationKey {
  // Deriving the public key from the private one means the two can never disagree.
  const publicKeyPem = createPublicKey(createPrivateKey(privateKeyPem))
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const keyId = keyIdOf(publicKeyPem);
  return { keyId, origin: ledgerOrigin(keyId.slice(0, 16)), publicKeyPem, privateKeyPem };
}

/** Publishes the public half in the database so verification and exports can name it. */
export async function registerPublicKey(database: Database, key: InstallationKey): Promise<void> {
  await database.db
    .insertInto('ledger_keys')
    .values({ key_id: key.keyId, public_key_pem: key.publicKeyPem })
    .onConflict((oc) => oc.column('key_id').doNothing())
    .execute();
}
