import { EntryEncodingError, entryHashHex } from './entry-hash.ts';
import { GENESIS_PREV_HASH, type LedgerEntry } from './ledger-entry.ts';

/** The first entry at which a chain stops being trustworthy, in words a reviewer can act on. */
export type ChainBreak = {
  entryId: string;
  stream: string;
  seq: number;
  reason: string;
};

type StreamHead = { seq: number; hash: string };

/**
 * Checks hash chains entry by entry, for any number of streams fed in any interleaving, as long as
 * each stream arrives in seq order (the order the database returns `ORDER BY seq`). Memory is one
 * small record per stream, so a whole ledger can be checked as it is read.
 *
 * It stops at the first break: everything after a break in the same stream is unanchored anyway,
 * and the first break is where an investigation starts.
 */
export class ChainVerifier {
  #heads = new Map<string, StreamHead>();
  #firstBreak: ChainBreak | null = null;
  #entries = 0;

  /** Entries accepted so far. */
  get entries(): number {
    return this.#entries;
  }

  get streams(): number {
    return this.#heads.size;
  }

  get firstBreak(): ChainBreak | null {
    return this.#firstBreak;
  }

  /** The last accepted entry of a stream, e.g. to store as the point to resume from. */
  head(stream: string): { seq: number; hash: string } | undefined {
    const head = this.#heads.get(stream);
    return head && { seq: head.seq, hash: head.hash };
  }

  /**
   * Starts a stream from an entry already verified earlier, so a periodic job need only check what
   * was appended since. The caller vouches for `seq` and `hash`.
   */
  resumeFrom(stream: string, seq: number, hash: string): void {
    if (this.#heads.has(stream)) throw new Error(`stream ${stream} has already been started`);
    this.#heads.set(stream, { seq, hash });
  }

  /** Checks one entry; returns the first break seen so far (this one or an earlier one), or null. */
  add(entry: LedgerEntry): ChainBreak | null {
    if (this.#firstBreak) return this.#firstBreak;
    let recomputed: string;
    try {
      recomputed = entryHashHex(entry);
    } catch (error) {
      if (!(error instanceof EntryEncodingError)) throw error;
      return this.#break(entry, `entry is malformed: ${error.message}`);
    }
    // Content first: a changed field (prevHash and seq included) is then named as exactly that.
    if (recomputed !== entry.hash) return this.#break(entry, 'hash does not match its content');
    const reason = this.link(entry.stream, entry.seq, entry.prevHash, entry.hash);
    return reason === null ? null : this.#break(entry, reason);
  }

  /**
   * The linking half of add(), for callers that have already checked the hash against the entry's
   * stored bytes (offline verification hashes the bytes in the file instead of re-encoding fields).
   * Accepts the entry and returns null, or returns why it does not follow its stream; it does not
   * record the break, the caller reports it with the context it has.
   */
  link(stream: string, seq: number, prevHash: string, hash: string): string | null {
    const head = this.#heads.get(stream);
    if (head === undefined) {
      if (seq !== 1) return `stream starts at seq ${seq}: seq 1 to ${seq - 1} missing`;
      if (prevHash !== GENESIS_PREV_HASH) return 'prev_hash of seq 1 is not all zeros';
      this.#heads.set(stream, { seq, hash });
      this.#entries++;
      return null;
    }
    if (seq !== head.seq + 1) return seqReason(seq, head.seq);
    if (prevHash !== head.hash) return `prev_hash does not link to seq ${head.seq}`;
    head.seq = seq;
    head.hash = hash;
    this.#entries++;
    return null;
  }

  #break(entry: LedgerEntry, reason: string): ChainBreak {
    this.#firstBreak = { entryId: entry.id, stream: entry.stream, seq: entry.seq, reason };
    return this.#firstBreak;
  }
}

export function seqReason(seq: number, previous: number): string {
  if (seq === previous) return `seq ${seq} repeats: duplicate entry`;
  if (seq < previous) return `seq ${seq} follows ${previous}: entries out of order`;
  const missing = seq - previous === 2 ? `seq ${previous + 1}` : `seq ${previous + 1} to ${seq - 1}`;
  return `seq ${seq} follows ${previous}: ${missing} missing`;
}

/** Checks a whole batch; the first break, or null when every chain holds. */
export function verifyChains(entries: Iterable<LedgerEntry>): ChainBreak | null {
  const verifier = new ChainVerifier();
  for (const entry of entries) {
    const broken = verifier.add(entry);
    if (broken) return broken;
  }
  return null;
}
