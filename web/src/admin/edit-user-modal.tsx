import { Button, Group, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { splitProblem } from '../form-problem.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { type AdminUser, changeUser, type UserChange } from './admin-api.ts';
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
  const [local, setLocal] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const { fieldErrors, alert } = splitProblem(problem, ['displayName', 'roles', 'active', 'reason']);
  const errors = { ...fieldErrors, ...local };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
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
    setLocal(checks);
    if (Object.keys(checks).length > 0) return;
    setBusy(true);
    setProblem(null);
    try {
      onSaved(await changeUser(user.id, change));
    } catch (error) {
      setProblem(problemOf(error));
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Edit ${user.displayName}`} centered size="lg">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {user.email} · {user.partner.name}
          </Text>
          {alert ? <ProblemAlert problem={alert} action="save the changes" /> : null}
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
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
