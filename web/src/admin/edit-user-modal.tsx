import { Switch, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useFormSubmit } from '../use-form-submit.ts';
import { type AdminUser, changeUser, type UserChange } from './admin-api.ts';
import { ModalForm } from './modal-form.tsx';
import { ReasonField } from './reason-field.tsx';
import { RoleCheckboxes } from './role-checkboxes.tsx';

interface EditUserModalProps {
  user: AdminUser;
  onClose: () => void;
  onSaved: (user: AdminUser) => void;
}

function sameRoles(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/** Changes a user's name, roles or whether they may sign in; asks why. Mount it only while editing. */
export function EditUserModal({ user, onClose, onSaved }: EditUserModalProps) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState(user.roles);
  const [active, setActive] = useState(user.active);
  const [reason, setReason] = useState('');
  const { errors, alert, busy, submit } = useFormSubmit(['displayName', 'roles', 'active', 'reason']);

  const save = () => {
    const change: UserChange = { reason: reason.trim() };
    if (displayName.trim() !== user.displayName) change.displayName = displayName.trim();
    if (!sameRoles(roles, user.roles)) change.roles = roles;
    if (active !== user.active) change.active = active;
    const checks: Record<string, string> = {};
    if (!displayName.trim()) checks.displayName = 'Enter the person’s name.';
    if (roles.length === 0)
      checks.roles = 'Keep at least one role; to stop someone signing in, deactivate them.';
    if (Object.keys(change).length === 1) checks.form = 'Nothing has changed yet.';
    else if (!change.reason) checks.reason = 'Say why you are making this change.';
    void submit(checks, async () => onSaved(await changeUser(user.id, change)));
  };

  return (
    <ModalForm
      opened
      onClose={onClose}
      title={`Edit ${user.displayName}`}
      onSubmit={save}
      intro={
        <Text size="sm" c="dimmed">
          {user.email} · {user.partner.name}
        </Text>
      }
      alert={alert}
      action="save the changes"
      submitLabel="Save changes"
      busy={busy}
    >
      <TextInput
        label="Name"
        required
        value={displayName}
        onChange={(event) => setDisplayName(event.currentTarget.value)}
        error={errors.displayName}
      />
      <RoleCheckboxes
        partnerType={user.partner.type}
        value={roles}
        onChange={setRoles}
        error={errors.roles}
      />
      <Switch
        label="Active"
        description={
          active
            ? 'The person can sign in.'
            : 'The person cannot sign in; their records and signatures are kept.'
        }
        checked={active}
        onChange={(event) => setActive(event.currentTarget.checked)}
        error={errors.active}
      />
      <ReasonField value={reason} onChange={setReason} error={errors.reason} />
      {errors.form ? (
        <Text size="sm" c="red.8" role="alert">
          {errors.form}
        </Text>
      ) : null}
    </ModalForm>
  );
}
