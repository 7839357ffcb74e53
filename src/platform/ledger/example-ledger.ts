import { sealEntry } from './entry-hash.ts';
import { type ActorType, GENESIS_PREV_HASH, type LedgerEntry } from './ledger-entry.ts';

/**
 * A deterministic, valid ledger for tests, benchmarks and demo data: cases moving through steps,
 * written by users, partner systems and the platform, interleaved across streams the way concurrent
 * work interleaves. Same options, same entries, same hashes, on every machine.
 */
export type ExampleLedgerOptions = {
  entries: number;
  /** Number of case streams the entries are spread over. */
  streams: number;
  /** recordedAt of the first entry; each next entry is one millisecond later. */
  startAt?: string;
  /** Extra streams named with characters that need escaping or are not ASCII, for edge cases. */
  unusualStreams?: boolean;
};

const NOTE = JSON.stringify('Temperatur 2–8 °C, "ok"');
const ROLES = ['case-coordinator', 'apheresis-nurse', 'courier', 'qa-reviewer'] as const;
const ACTIONS = [
  'case.step.started',
  'case.step.completed',
  'custody.handed-over',
  'consent.recorded',
] as const;

function exampleUuid(kind: number, n: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function exampleStreams(options: Pick<ExampleLedgerOptions, 'streams' | 'unusualStreams'>): string[] {
  const streams = Array.from({ length: options.streams }, (_, index) => `case:${exampleUuid(2, index)}`);
  if (options.unusualStreams) streams.push('site:Köln–Süd', 'batch:"A\\B"\n');
  return streams;
}

export function* exampleLedgerEntries(options: ExampleLedgerOptions): Generator<LedgerEntry> {
  const streams = exampleStreams(options);
  const start = Date.parse(options.startAt ?? '2026-11-22T10:00:00.000Z');
  const heads = new Map<string, { seq: number; hash: string }>();
  for (let i = 0; i < options.entries; i++) {
    // A stride coprime with typical stream counts visits the streams in a scattered order.
    const stream = streams[(i * 7919) % streams.length] as string;
    const head = heads.get(stream) ?? { seq: 0, hash: GENESIS_PREV_HASH };
    const seq = head.seq + 1;
    const actorType: ActorType = i % 7 === 0 ? 'system' : i % 5 === 0 ? 'client' : 'user';
    const entry = sealEntry({
      id: exampleUuid(1, i),
      stream,
      seq,
      recordedAt: new Date(start + i).toISOString(),
      actorType,
      actorId: actorType === 'system' ? null : exampleUuid(3, i % 250),
      actorPartnerId: actorType === 'client' ? exampleUuid(4, i % 40) : null,
      actorRole: actorType === 'user' ? (ROLES[i % ROLES.length] as string) : null,
      action: seq === 1 ? 'case.opened' : (ACTIONS[i % ACTIONS.length] as string),
      recordType: 'case_step',
      recordId: exampleUuid(5, i % 50_000),
      // Written out rather than built with canonicalJson (keys already in order): a million of these
      // are generated for the benchmark. The tests check that they are canonical.
      before: seq === 1 ? null : `{"status":"open","step":${seq - 1}}`,
      after: `{"note":${i % 11 === 0 ? NOTE : 'null'},"status":"done","step":${seq}}`,
      reason: i % 10 === 0 ? 'Corrected after call with site' : null,
      prevHash: head.hash,
    });
    heads.set(stream, { seq, hash: entry.hash });
    yield entry;
  }
}

export function exampleLedger(options: ExampleLedgerOptions): LedgerEntry[] {
  return [...exampleLedgerEntries(options)];
}
