import { fetchJson, withQuery } from '../api-client.ts';

/** What a signer types into the signature dialog: the password again, and the one-time code when asked. */
export interface SignatureCredentials {
  password: string;
  oneTimeCode?: string;
}

/** A 21 CFR Part 11 electronic signature as the server returns it (src/signatures/sign-record.ts). */
export interface Signature {
  id: string;
  recordType: string;
  recordId: string;
  recordHash: string;
  meaning: string;
  signerUserId: string;
  signerName: string;
  signerRole: string;
  signedAt: string;
  signedAtLocal: string;
  ledgerEntryId: string;
  /** Printed name — date and time UTC / local — meaning. */
  manifestation: string;
  reason: string | null;
}

export interface SigningRequirements {
  canSign: boolean;
  secondFactorRequired: boolean;
  signingLockedUntil: string | null;
}

export function fetchSigningRequirements(signal?: AbortSignal): Promise<SigningRequirements> {
  return fetchJson<SigningRequirements>('/api/signatures/requirements', { signal });
}

export async function fetchSignatures(
  recordType: string,
  recordId: string,
  signal?: AbortSignal,
): Promise<Signature[]> {
  const body = await fetchJson<{ signatures: Signature[] }>(
    withQuery('/api/signatures', { recordType, recordId }),
    { signal },
  );
  return body.signatures;
}
