import fs from 'node:fs';
import { canonicalPasswordForm } from './password-policy.ts';

const LIST_FILE = new URL('./common-passwords.txt', import.meta.url);

let loaded: ReadonlySet<string> | undefined;

/** The shipped list of common passwords, in canonical form (see password-policy.ts), read once. */
export function commonPasswords(): ReadonlySet<string> {
  loaded ??= new Set(
    fs
      .readFileSync(LIST_FILE, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map(canonicalPasswordForm),
  );
  return loaded;
}
