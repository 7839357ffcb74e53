import type { Actor } from '../platform/access/actor.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { insertPartner, insertSite, type PartnerInput, type SiteInput } from './partner-store.ts';

/** A new partner and its ledger entry, in the caller's transaction: the one way partners come to be. */
export async function createPartner(trx: Tx, actor: Actor, input: PartnerInput): Promise<string> {
  const partnerId = await insertPartner(trx, input);
  await appendLedgerEntry(trx, {
    stream: `partner:${partnerId}`,
    actor,
    action: 'partner.created',
    recordType: 'partner',
    recordId: partnerId,
    after: input,
  });
  return partnerId;
}

export async function createSite(
  trx: Tx,
  actor: Actor,
  partnerId: string,
  input: SiteInput,
): Promise<string> {
  const siteId = await insertSite(trx, partnerId, input);
  await appendLedgerEntry(trx, {
    stream: `partner:${partnerId}`,
    actor,
    action: 'site.created',
    recordType: 'site',
    recordId: siteId,
    after: { partnerId, ...input },
  });
  return siteId;
}
