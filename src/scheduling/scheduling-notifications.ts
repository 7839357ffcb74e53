import { sql } from 'kysely';
import { type Permission, ROLE_PERMISSIONS } from '../platform/access/permissions.ts';
import type { Role } from '../platform/access/roles.ts';
import type { Tx } from '../platform/db/transaction.ts';
import type { JsonObject } from '../platform/jobs/job-tables.ts';
import { enqueueMessage } from '../platform/outbox/outbox-store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Note = { body: string; payload: JsonObject; key: string; related: { type: string; id: string } };

const rolesWith = (permission: Permission) =>
  (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((role) => ROLE_PERMISSIONS[role].includes(permission));

/**
 * An in-app message, through the outbox, to every active user of a partner whose role grants the
 * permission (a plant's schedulers for a slot request, a centre's coordinators for its answer).
 * The key makes a message of a retried transaction the same message.
 */
export async function notifyPartner(
  trx: Tx,
  partnerId: string,
  permission: Permission,
  note: Note,
): Promise<number> {
  const recipients = await trx
    .selectFrom('users')
    .select('id')
    .where('partner_id', '=', partnerId)
    .where('active', '=', true)
    .where(sql<boolean>`roles && ${sql.val(rolesWith(permission))}::text[]`)
    .execute();
  for (const user of recipients) await notifyUser(trx, user.id, { ...note, key: `${note.key}:${user.id}` });
  return recipients.length;
}

export async function notifyUser(trx: Tx, userId: string, note: Note): Promise<void> {
  // Only people have an in-app inbox; a booking made by a partner system is answered through the API.
  if (!UUID.test(userId)) return;
  const person = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!person) return;
  await enqueueMessage(trx, {
    channel: 'in_app',
    recipient: userId,
    body: note.body,
    payload: note.payload,
    idempotencyKey: note.key,
    relatedRecord: note.related,
  });
}
