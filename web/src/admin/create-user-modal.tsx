import { TextInput } from '@mantine/core';
import { useState } from 'react';
import type { NetworkPartner } from '../network-summary.ts';
import { useFormSubmit } from '../use-form-submit.ts';
import type { ResourceState } from '../use-resource.ts';
import { type AdminUser, createUser } from './admin-api.ts';
import { ModalForm } from './modal-form.tsx';
import { PartnerSelect } from './partner-select.tsx';
import { RoleCheckboxes } from './role-checkboxes.tsx';
import { SecretModal } from './secret-modal.tsx';
import { SecretOnce } from './secret-once.tsx';

interface CreateUserModalProps {
  opened: boolean;
  partners: ResourceState<NetworkPartner[]>;
  /** Pre-selects this partner, e.g. the one the list is filtered by. */
  initialPartnerId: string | null;
  onClose: () => void;
  onCreated: () => void;
}

type Created = { user: AdminUser; temporaryPassword: string };

/** Creates a user; then shows their temporary password, once. */
export function CreateUserModal({
  opened,
  partners,
  initialPartnerId,
  onClose,
  onCreated,
}: CreateUserModalProps) {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [partner, setPartner] = useState<NetworkPartner | null>(null);
  const [roles, setRoles] = useState<string[]>([]);
  const { errors, alert, busy, submit, reset } = useFormSubmit([
    'email',
    'displayName',
    'partnerId',
    'roles',
  ]);
  const [created, setCreated] = useState<Created | null>(null);
  const [wasOpened, setWasOpened] = useState(false);

  // Opening the modal starts from a blank form, on the partner the list is filtered by.
  if (opened !== wasOpened) {
    setWasOpened(opened);
    if (opened) {
      setEmail('');
      setDisplayName('');
      setPartner(
        partners.status === 'success' ? (partners.data.find((p) => p.id === initialPartnerId) ?? null) : null,
      );
      setRoles([]);
      reset();
      setCreated(null);
    }
  }

  const choosePartner = (next: NetworkPartner | null) => {
    setPartner(next);
    setRoles([]);
  };

  const create = () => {
    const empty: Record<string, string> = {};
    if (!displayName.trim()) empty.displayName = 'Enter the person’s name.';
    if (!/^[^@\s]+@[^@\s]+$/.test(email.trim()))
      empty.email = 'Enter an email address, e.g. name@hospital.org.';
    if (!partner) empty.partnerId = 'Choose the partner the person works for.';
    if (roles.length === 0) empty.roles = 'Choose at least one role.';
    void submit(empty, async () => {
      if (!partner) return;
      setCreated(
        await createUser({
          email: email.trim(),
          displayName: displayName.trim(),
          partnerId: partner.id,
          roles,
        }),
      );
      onCreated();
    });
  };

  if (created) {
    return (
      <SecretModal opened={opened} onClose={onClose} title={`${created.user.displayName} can now sign in`}>
        <SecretOnce
          label="Temporary password"
          value={created.temporaryPassword}
          instructions={`Give it to ${created.user.displayName} (${created.user.email}) by a different channel than the email address; they choose their own password when they first sign in.`}
        />
      </SecretModal>
    );
  }

  return (
    <ModalForm
      opened={opened}
      onClose={onClose}
      title="Create a user"
      onSubmit={create}
      alert={alert}
      action="create the user"
      submitLabel="Create user"
      busy={busy}
    >
      <TextInput
        label="Name"
        description="As it appears on signatures and in the audit trail."
        required
        autoComplete="off"
        value={displayName}
        onChange={(event) => setDisplayName(event.currentTarget.value)}
        error={errors.displayName}
      />
      <TextInput
        label="Email"
        type="email"
        required
        autoComplete="off"
        value={email}
        onChange={(event) => setEmail(event.currentTarget.value)}
        error={errors.email}
      />
      <PartnerSelect
        label="Partner"
        partners={partners}
        value={partner?.id ?? null}
        onChange={choosePartner}
        required
        error={errors.partnerId}
      />
      <RoleCheckboxes
        partnerType={partner?.type ?? null}
        value={roles}
        onChange={setRoles}
        error={errors.roles}
      />
    </ModalForm>
  );
}
