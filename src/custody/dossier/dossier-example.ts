import { formatChainOfIdentity } from '../identity/chain-of-identity.ts';
import { formatDonationIdentificationNumber } from '../identity/donation-identification-number.ts';
import type { DossierLedgerRef, DossierModel } from './dossier-model.ts';

/**
 * A deterministic CAR-T dossier for tests and for looking at the PDF: collection in Berlin,
 * manufacturing in Leiden, infusion in Berlin, with one temperature excursion, one label reprint and
 * one bedside stop before the passing verification.
 */
export function exampleDossierModel(
  options: { hideIdentifiers?: boolean; extraHandOffs?: number } = {},
): DossierModel {
  const coi = formatChainOfIdentity({ facility: 'W9999', year: 2026, sequence: 42 });
  const din = formatDonationIdentificationNumber({ facility: 'W9999', year: 2026, sequence: 1234 });
  let n = 0;
  const ref = (stream: string): DossierLedgerRef => {
    n++;
    const hex = n.toString(16).padStart(4, '0');
    return {
      entryId: `${hex}0000-0000-4000-8000-00000000${hex}`,
      hash: `${hex}${'ab01'.repeat(15)}`,
      stream,
      seq: n,
    };
  };
  const berlin = { name: 'Charité Apheresis Unit, Berlin', timeZone: 'Europe/Berlin' };
  const leiden = { name: 'Cell Manufacturing Leiden', timeZone: 'Europe/Amsterdam' };
  const custody = `custody:${coi}`;
  const model: DossierModel = {
    caseReference: 'CW-2026-0042',
    caseId: '3f2b8c1e-7a4d-4e2b-9c1f-5d6e7f8a9b0c',
    therapy: { name: 'CAR-T autologous (demo template)', version: '3' },
    chainOfIdentity: coi,
    ...(options.hideIdentifiers
      ? {}
      : {
          patient: {
            identifiers: [
              { label: 'name', value: 'Jana Doležalová' },
              { label: 'date of birth', value: '1978-04-12' },
              { label: 'hospital number', value: 'CH-88123' },
            ],
          },
        }),
    generatedAt: '2026-12-03T09:15:00.000Z',
    generatedBy: { name: 'Quinn Auditor', role: 'QA reviewer' },
    installationKeyId: '47ec590e7f23d54b4b782d51aa7b1b1e3228b5eb2d3dba9125c645cb229cee37',
    checkpoint: {
      treeSize: 1284,
      rootHash: '9c1d0a7e5b3f2e4d6c8b0a1f3e5d7c9b1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d',
      issuedAt: '2026-12-03T09:14:58.120Z',
    },
    ledgerFileName: 'cellway-dossier-CW-2026-0042.ndjson',
    handOffs: [
      {
        id: 'h1',
        occurredAt: '2026-11-22T11:05:00.000Z',
        site: berlin,
        fromCustodian: 'Apheresis nurse Petra Krause',
        toCustodian: 'ColdPath courier Ali Demir',
        items: [`Apheresis bag 1 of 1 (DIN ${din})`],
        status: 'completed',
        condition: {
          temperature: { readings: 12, minC: 3.1, maxC: 6.8, acceptedRange: '+2 to +8 °C', excursions: [] },
          shipper: { id: 'SHP-00042', qualificationStatus: 'qualified until 2027-03-01' },
          sealIntact: true,
        },
        scans: [
          { label: 'Bag chain of identity', expected: coi, scanned: coi, matched: true },
          { label: 'Bag DIN', expected: din, scanned: din, matched: true },
          { label: 'Shipper', expected: 'SHP-00042', scanned: 'SHP-00042', matched: true },
        ],
        ledger: [ref(custody), ref(custody)],
      },
      {
        id: 'h2',
        occurredAt: '2026-11-22T19:40:00.000Z',
        site: leiden,
        fromCustodian: 'ColdPath courier Ali Demir',
        toCustodian: 'Manufacturing intake Sanne de Vries',
        items: [`Apheresis bag 1 of 1 (DIN ${din})`],
        status: 'completed with exception EX-17 (temperature excursion)',
        condition: {
          temperature: {
            readings: 104,
            minC: 2.9,
            maxC: 9.4,
            acceptedRange: '+2 to +8 °C',
            excursions: [
              {
                from: '2026-11-22T16:10:00.000Z',
                to: '2026-11-22T16:34:00.000Z',
                extremeC: 9.4,
                limit: 'above +8 °C',
              },
            ],
          },
          dataLogger: {
            fileName: 'LOG-7781_2026-11-22.csv',
            sha256: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8',
          },
          shipper: { id: 'SHP-00042', qualificationStatus: 'qualified until 2027-03-01' },
          sealIntact: true,
        },
        scans: [
          { label: 'Bag chain of identity', expected: coi, scanned: coi, matched: true },
          { label: 'Shipper', expected: 'SHP-00042', scanned: 'SHP-00042', matched: true },
        ],
        ledger: [ref(custody)],
      },
      {
        id: 'h3',
        occurredAt: '2026-12-01T08:20:00.000Z',
        site: berlin,
        fromCustodian: 'Pharmacy Jonas Weber',
        toCustodian: 'Infusion nurse Mia Schulz',
        items: ['CAR-T final product bag 1 of 1 (lot L-26-0042)'],
        status: 'completed',
        condition: {
          temperature: {
            readings: 30,
            minC: -182.5,
            maxC: -171.0,
            acceptedRange: '-150 °C or colder',
            excursions: [],
          },
          sealIntact: true,
        },
        scans: [{ label: 'Bag chain of identity', expected: coi, scanned: coi, matched: true }],
        ledger: [ref(custody)],
      },
    ],
    signatures: [
      ['2026-11-22T11:04:00.000Z', 'Petra Krause', 'Apheresis nurse', 'Collected by', berlin],
      ['2026-11-22T11:06:00.000Z', 'Ali Demir', 'Courier', 'Received by', berlin],
      ['2026-11-22T19:41:00.000Z', 'Sanne de Vries', 'Manufacturing intake', 'Received by', leiden],
      ['2026-11-29T14:00:00.000Z', 'Dr. Hannah Brandt', 'QA reviewer', 'Released by QA', leiden],
      ['2026-12-01T08:21:00.000Z', 'Mia Schulz', 'Infusion nurse', 'Received by', berlin],
    ].map(([signedAt, printedName, role, meaning, site], index) => ({
      id: `s${index + 1}`,
      signedAt: signedAt as string,
      printedName: printedName as string,
      role: role as string,
      meaning: meaning as string,
      site: site as { name: string; timeZone: string },
      recordType: index === 3 ? 'product_release' : 'custody_handoff',
      recordId: index === 3 ? 'rel-0042' : `h${Math.min(index + 1, 3)}`,
      recordHash: `${(index + 10).toString(16)}${'7f3e'.repeat(15)}9`.slice(0, 64),
      ledger: [ref(`signatures:${coi}`)],
    })),
    bedsideVerifications: [
      {
        id: 'b1',
        occurredAt: '2026-12-01T09:02:00.000Z',
        site: berlin,
        performedBy: 'Mia Schulz (infusion nurse)',
        result: 'stop',
        checks: [
          {
            label: 'Chain of identity',
            expected: coi,
            scanned: formatChainOfIdentity({ facility: 'W9999', year: 2026, sequence: 41 }),
            matched: false,
          },
          { label: 'Patient identifier 1', expected: 'CH-88123', scanned: 'CH-88123', matched: true },
        ],
        ledger: [ref(custody)],
      },
      {
        id: 'b2',
        occurredAt: '2026-12-01T09:10:00.000Z',
        site: berlin,
        performedBy: 'Mia Schulz (infusion nurse)',
        result: 'pass',
        checks: [
          { label: 'Chain of identity', expected: coi, scanned: coi, matched: true },
          { label: 'Patient identifier 1', expected: 'CH-88123', scanned: 'CH-88123', matched: true },
          { label: 'Patient identifier 2', expected: '1978-04-12', scanned: '1978-04-12', matched: true },
          {
            label: 'Product expiry',
            expected: 'after 2026-12-01 09:10 UTC',
            scanned: '2026-12-04 08:00 UTC',
            matched: true,
          },
          { label: 'Release status', expected: 'released', scanned: 'released', matched: true },
        ],
        ledger: [ref(custody)],
      },
    ],
    deviations: [
      {
        id: 'EX-17',
        openedAt: '2026-11-22T19:42:00.000Z',
        site: leiden,
        kind: 'temperature excursion',
        description: 'Shipper logger recorded 24 minutes above +8 °C (max 9.4 °C) during transport.',
        status: 'closed',
        resolvedAt: '2026-11-23T10:00:00.000Z',
        resolution: 'QA assessed: within validated stability data; material accepted.',
        ledger: [ref('case:3f2b8c1e'), ref('case:3f2b8c1e')],
      },
      {
        id: 'DV-3',
        openedAt: '2026-12-01T09:02:30.000Z',
        site: berlin,
        kind: 'bedside mismatch',
        description:
          'Wrong bag scanned at the bedside (chain of identity of another patient). Infusion stopped.',
        status: 'closed',
        resolvedAt: '2026-12-01T09:09:00.000Z',
        resolution: 'Correct bag retrieved from pharmacy; second verification passed.',
        ledger: [ref('case:3f2b8c1e')],
      },
    ],
    labelPrints: [
      {
        id: 'l1',
        printedAt: '2026-11-22T10:30:00.000Z',
        site: berlin,
        labelType: 'bag',
        subject: `Apheresis bag (DIN ${din})`,
        printedBy: 'Petra Krause',
        reprint: 0,
        ledger: [ref(custody)],
      },
      {
        id: 'l2',
        printedAt: '2026-11-22T10:52:00.000Z',
        site: berlin,
        labelType: 'bag',
        subject: `Apheresis bag (DIN ${din})`,
        printedBy: 'Petra Krause',
        reprint: 1,
        reason: 'Label smudged during handling',
        ledger: [ref(custody)],
      },
    ],
  };
  for (let i = 0; i < (options.extraHandOffs ?? 0); i++) {
    const base = model.handOffs[1];
    if (!base) break;
    model.handOffs.push({
      ...base,
      id: `hx${i}`,
      occurredAt: new Date(Date.parse('2026-11-24T00:00:00.000Z') + i * 3_600_000).toISOString(),
      ledger: [ref(custody)],
    });
  }
  return model;
}
