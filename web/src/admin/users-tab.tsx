import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useSession } from '../auth/session-context.ts';
import { ResourceView } from '../resource-view.tsx';
import { useResource } from '../use-resource.ts';
import { type AdminUser, fetchUsers, resetPassword, unlockUser } from './admin-api.ts';
import { CreateUserModal } from './create-user-modal.tsx';
import { DoneNotice } from './done-notice.tsx';
import { EditUserModal } from './edit-user-modal.tsx';
import { PartnerSelect, usePartnerList } from './partner-select.tsx';
import { ReasonModal } from './reason-modal.tsx';
import { SecretOnce } from './secret-once.tsx';
import { type UserAction, UsersTable } from './users-table.tsx';

type Pending = { user: AdminUser; action: UserAction } | null;

/** The people who use Cellway: create them, change their roles, reset passwords, unlock. */
export function UsersTab() {
  const { me } = useSession();
  const canManage = me?.permissions.includes('users:manage') ?? false;
  const partners = usePartnerList();
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const load = useCallback((signal: AbortSignal) => fetchUsers(partnerId, signal), [partnerId]);
  const { state, reload } = useResource(load);
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [temporary, setTemporary] = useState<{ user: AdminUser; password: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const finish = (message: string) => {
    setPending(null);
    setDone(message);
    reload();
  };

  return (
    <>
      <Group justify="space-between" align="flex-end" mb="md" gap="sm">
        <PartnerSelect
          label="Partner"
          placeholder="All partners"
          partners={partners}
          value={partnerId}
          onChange={(partner) => setPartnerId(partner?.id ?? null)}
          clearable
          w={320}
        />
        {canManage ? <Button onClick={() => setCreating(true)}>Create user</Button> : null}
      </Group>
      <DoneNotice message={done} onClose={() => setDone(null)} />
      <ResourceView
        state={state}
        reload={reload}
        what="the users"
        empty={
          partnerId
            ? {
                title: 'No users at this partner',
                description: 'Users appear here when an administrator creates them.',
              }
            : { title: 'No users yet', description: 'Users appear here when an administrator creates them.' }
        }
      >
        {(users) => (
          <UsersTable
            users={users}
            onAction={canManage ? (user, action) => setPending({ user, action }) : null}
          />
        )}
      </ResourceView>
      {canManage ? (
        <CreateUserModal
          opened={creating}
          partners={partners}
          initialPartnerId={partnerId}
          onClose={() => setCreating(false)}
          onCreated={reload}
        />
      ) : null}
      {pending?.action === 'edit' ? (
        <EditUserModal
          user={pending.user}
          onClose={() => setPending(null)}
          onSaved={(user) => finish(`The changes to ${user.displayName} were saved.`)}
        />
      ) : null}
      <ReasonModal
        opened={pending?.action === 'reset-password'}
        title={`Reset the password of ${pending?.user.displayName ?? ''}?`}
        confirmLabel="Reset password"
        action="reset the password"
        danger
        onClose={() => setPending(null)}
        onConfirm={async (reason) => {
          if (!pending) return;
          const { temporaryPassword } = await resetPassword(pending.user.id, reason);
          setTemporary({ user: pending.user, password: temporaryPassword });
          setPending(null);
          reload();
        }}
      >
        <Text size="sm">
          Their current password stops working. You get a temporary password to give them; they choose a new
          one when they sign in with it.
        </Text>
      </ReasonModal>
      <ReasonModal
        opened={pending?.action === 'unlock'}
        title={`Unlock ${pending?.user.displayName ?? ''}?`}
        confirmLabel="Unlock"
        action="unlock the account"
        onClose={() => setPending(null)}
        onConfirm={async (reason) => {
          if (!pending) return;
          await unlockUser(pending.user.id, reason);
          finish(`${pending.user.displayName} can sign in again.`);
        }}
      >
        <Text size="sm">
          The account was locked after several failed attempts to sign in. Unlock it only when you are sure
          the attempts were the person's own.
        </Text>
      </ReasonModal>
      <Modal
        opened={temporary !== null}
        onClose={() => setTemporary(null)}
        title={`New temporary password for ${temporary?.user.displayName ?? ''}`}
        centered
        size="lg"
      >
        {temporary ? (
          <Stack gap="md">
            <SecretOnce
              label="Temporary password"
              value={temporary.password}
              instructions={`Give it to ${temporary.user.displayName} by a different channel than their email; they choose their own password when they sign in with it.`}
            />
            <Group justify="flex-end">
              <Button onClick={() => setTemporary(null)}>Done</Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </>
  );
}
