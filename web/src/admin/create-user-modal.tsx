import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { splitProblem } from '../form-problem.ts';
import type { NetworkPartner } from '../network-summary.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import type { ResourceState } from '../use-resource.ts';
import { type AdminUser, createUser } from './admin-api.ts';
import { PartnerSelect } from './partner-select.tsx';
import { RoleCheckboxes } from './role-checkboxes.tsx';
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
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [wasOpened, setWasOpened] = useState(false);
  const { fieldErrors, alert } = splitProblem(problem, ['email', 'displayName', 'partnerId', 'roles']);
  const errors = { ...fieldErrors, ...missing };

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
      setMissing({});
      setProblem(null);
      setCreated(null);
    }
  }

  const choosePartner = (next: NetworkPartner | null) => {
    setPartner(next);
    setRoles([]);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const empty: Record<string, string> = {};
    if (!displayName.trim()) empty.displayName = 'Enter the person’s name.';
    if (!/^[^@\s]+@[^@\s]+$/.test(email.trim()))
      empty.email = 'Enter an email address, e.g. name@hospital.org.';
    if (!partner) empty.partnerId = 'Choose the partner the person works for.';
    if (roles.length === 0) empty.roles = 'Choose at least one role.';
    setMissing(empty);
    if (Object.keys(empty).length > 0 || !partner) return;
    setBusy(true);
    setProblem(null);
    try {
      setCreated(
        await createUser({
          email: email.trim(),
          displayName: displayName.trim(),
          partnerId: partner.id,
          roles,
        }),
      );
      onCreated();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <Modal
        opened={opened}
        onClose={onClose}
        title={`${created.user.displayName} can now sign in`}
        centered
        size="lg"
      >
        <Stack gap="md">
          <SecretOnce
            label="Temporary password"
            value={created.temporaryPassword}
            instructions={`Give it to ${created.user.displayName} (${created.user.email}) by a different channel than the email address; they choose their own password when they first sign in.`}
          />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Create a user" centered size="lg">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          {alert ? <ProblemAlert problem={alert} action="create the user" /> : null}
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
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
