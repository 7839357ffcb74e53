/**
 * The inspection dossier of one case as plain data: what the PDF (dossier-pdf.ts) renders. The custody
 * store assembles it from the database and decides what the reader may see (patient identifiers
 * only for entitled roles); the renderers never query anything, so the same model always renders
 * the same document.
 *
 * Every item names the ledger entries that back it (id + hash), so an inspector can find each fact
 * in the machine-readable dossier file (dossier-file.ts) and check it offline.
 */

/** A ledger entry backing an item: enough to find it in the dossier file and compare its hash. */
export type DossierLedgerRef = { entryId: string; hash: string; stream?: string; seq?: number };

/** Where something happened; times are shown in UTC and in this zone. */
export type DossierSite = { name: string; timeZone?: string };

export type DossierTemperatureExcursion = {
  from: string;
  to: string;
  /** The extreme reached, in °C. */
  extremeC: number;
  /** The limit crossed, e.g. "above +8 °C". */
  limit: string;
};

export type DossierCondition = {
  temperature?: {
    readings: number;
    minC: number;
    maxC: number;
    /** The accepted range, e.g. "-150 °C or colder", "+2 to +8 °C". */
    acceptedRange?: string;
    excursions: DossierTemperatureExcursion[];
  };
  dataLogger?: { fileName: string; sha256: string };
  shipper?: { id: string; qualificationStatus: string };
  sealIntact?: boolean;
};

export type DossierScan = {
  /** What was scanned: "Bag chain of identity", "Shipper", "DIN". */
  label: string;
  expected: string;
  scanned: string;
  matched: boolean;
};

export type DossierHandOff = {
  id: string;
  occurredAt: string;
  site: DossierSite;
  fromCustodian: string;
  toCustodian: string;
  /** The units handed over, e.g. "Apheresis bag 1 of 2 (DIN W9999 26 000001 K)". */
  items: string[];
  /** "completed", "blocked: scan mismatch", … */
  status: string;
  condition: DossierCondition;
  scans: DossierScan[];
  ledger: DossierLedgerRef[];
};

export type DossierSignature = {
  id: string;
  signedAt: string;
  site?: DossierSite;
  printedName: string;
  role?: string;
  /** The meaning of the signature, e.g. "Collected by", "Released by QA", "Received by". */
  meaning: string;
  recordType: string;
  recordId: string;
  /** Hash of the exact record version signed. */
  recordHash: string;
  ledger: DossierLedgerRef[];
};

export type DossierBedsideCheck = { label: string; expected?: string; scanned?: string; matched: boolean };

export type DossierBedsideVerification = {
  id: string;
  occurredAt: string;
  site: DossierSite;
  performedBy: string;
  result: 'pass' | 'stop';
  checks: DossierBedsideCheck[];
  ledger: DossierLedgerRef[];
};

export type DossierDeviation = {
  id: string;
  openedAt: string;
  site?: DossierSite;
  /** "temperature excursion", "bedside mismatch", … */
  kind: string;
  description: string;
  status: string;
  resolvedAt?: string;
  resolution?: string;
  ledger: DossierLedgerRef[];
};

export type DossierLabelPrint = {
  id: string;
  printedAt: string;
  site?: DossierSite;
  labelType: 'bag' | 'shipper';
  /** The unit or shipper the label is for. */
  subject: string;
  printedBy: string;
  /** 0: the original; n: the n-th reprint. */
  reprint: number;
  reason?: string;
  ledger: DossierLedgerRef[];
};

export type DossierModel = {
  caseReference: string;
  caseId: string;
  therapy: { name: string; version?: string };
  /** Compact chain of identity, e.g. "W999926000042K". */
  chainOfIdentity: string;
  /** Only when the reader is entitled to see them; otherwise absent and the PDF says so. */
  patient?: { identifiers: Array<{ label: string; value: string }> };
  generatedAt: string;
  generatedBy: { name: string; role?: string };
  installationKeyId: string;
  /** The signed checkpoint the dossier file proves its entries against. */
  checkpoint?: { treeSize: number; rootHash: string; issuedAt: string };
  /** Name of the machine-readable file delivered with the PDF. */
  ledgerFileName?: string;
  handOffs: DossierHandOff[];
  signatures: DossierSignature[];
  bedsideVerifications: DossierBedsideVerification[];
  deviations: DossierDeviation[];
  labelPrints: DossierLabelPrint[];
};
