import type { Checkpoint } from '../../platform/ledger/checkpoint.ts';
import type { LedgerEntry } from '../../platform/ledger/ledger-entry.ts';
import { buildProofBundle, type EntryProof } from '../../platform/ledger/proof-bundle.ts';
import { displayChainOfIdentityText } from '../identity/chain-of-identity.ts';

/**
 * The machine-readable inspection dossier: every ledger entry of the case's streams with its
 * inclusion proof against a signed checkpoint, in the ledger proof bundle format (see
 * platform/ledger/proof-bundle.ts), which `cellway ledger verify --file F [--public-key P]` checks
 * offline. The entries carry the records as written, so the file goes only to readers entitled to
 * the case.
 */
export type DossierFileHeader = {
  caseId: string;
  caseReference: string;
  /** Compact chain of identity. */
  chainOfIdentity: string;
  therapy?: string;
  generatedAt: string;
  generatedBy: string;
};

/** What collectDossierLedger reads from the database. */
export type DossierLedger = {
  origin: string;
  publicKeyPem: string;
  streams: string[];
  entries: LedgerEntry[];
  checkpoint: Checkpoint;
  /** By entry id. */
  proofs: ReadonlyMap<string, EntryProof>;
};

export type DossierFileSource = DossierLedger & {
  header: DossierFileHeader;
  /** The installation key's private half: the file is signed so that no byte of it can change unseen. */
  privateKeyPem: string;
};

/** The dossier file's text; pure (same source, same bytes). Throws if the ledger would not verify. */
export function buildDossierFile(source: DossierFileSource): string {
  const { header } = source;
  return buildProofBundle({
    origin: source.origin,
    publicKeyPem: source.publicKeyPem,
    privateKeyPem: source.privateKeyPem,
    generatedAt: header.generatedAt,
    subject: {
      kind: 'custody-dossier',
      title: `Custody dossier ${header.caseReference}, chain of identity ${displayChainOfIdentityText(header.chainOfIdentity)}`,
      caseId: header.caseId,
      caseReference: header.caseReference,
      chainOfIdentity: header.chainOfIdentity,
      generatedBy: header.generatedBy,
      ...(header.therapy ? { therapy: header.therapy } : {}),
    },
    streams: source.streams,
    entries: source.entries,
    checkpoint: source.checkpoint,
    proofs: source.proofs,
  });
}

/** A file name that says what it is and sorts by case. */
export function dossierFileName(caseReference: string): string {
  return `cellway-dossier-${caseReference.replace(/[^A-Za-z0-9._-]+/g, '-')}.ndjson`;
}
