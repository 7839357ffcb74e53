import { createHash } from 'node:crypto';
import { canonicalJson } from '../platform/ledger/canonical-json.ts';

/** The hash a publication signature is bound to: the exact template version being released. */
export function templateRecordHash(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}
