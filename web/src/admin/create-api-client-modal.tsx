import { Button, Checkbox, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { splitProblem } from '../form-problem.ts';
import type { NetworkPartner } from '../network-summary.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import type { ResourceState } from '../use-resource.ts';
import { type ApiClient, createApiClient } from './admin-api.ts';
import { scopesForPartnerType } from './api-scopes.ts';
import { PartnerSelect } from './partner-select.tsx';
import { SecretOnce } from './secret-once.tsx';

interface CreateApiClientModalProps {
  opened: boolean;
  partners: ResourceState<NetworkPartner[]>;
  onClose: () => void;
  onCreated: () => void;
}

/** Registers a system of a partner (a LIMS, an EHR, a courier's tracking) to call the API; shows its secret once. */
export function CreateApiClientModal({ opened, partners, onClose, onCreated }: CreateApiClientModalProps) {
  const [name, setName] = useState('');
  const [partner, setPartner] = useState<NetworkPartner | null>(null);
  const [scopes, setScopes] = useState<string[]>([]);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [created, setCreated] = useState<{ client: ApiClient; clientSecret: string } | null>(null);
  const [wasOpened, setWasOpened] = useState(false);
  const { fieldErrors, alert } = splitProblem(problem, ['name', 'partnerId', 'scopes']);
  const errors = { ...fieldErrors, ...missing };

  if (opened !== wasOpened) {
    setWasOpened(opened);
    if (opened) {
      setName('');
      setPartner(null);
      setScopes([]);
      setMissing({});
      setProblem(null);
      setCreated(null);
    }
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const empty: Record<string, string> = {};
    if (!name.trim()) empty.name = 'Name the system that will use this client.';
    if (!partner) empty.partnerId = 'Choose the partner that runs the system.';
    if (scopes.length === 0) empty.scopes = 'Grant at least one scope.';
    setMissing(empty);
    if (Object.keys(empty).length > 0 || !partner) return;
    setBusy(true);
    setProblem(null);
    try {
      setCreated(await createApiClient({ name: name.trim(), partnerId: partner.id, scopes }));
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
        title={`${created.client.name} is registered`}
        centered
        size="lg"
      >
        <Stack gap="md">
          <Text size="sm">
            Client ID: <Code>{created.client.clientId}</Code>
          </Text>
          <SecretOnce
            label="Client secret"
            value={created.clientSecret}
            instructions="Store it in the calling system's secret store; never send it by email."
          />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Create an API client" centered size="lg">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          {alert ? <ProblemAlert problem={alert} action="create the API client" /> : null}
          <TextInput
            label="Name"
            description="The system that will call Cellway, e.g. “Plant LIMS” or “Courier tracking”."
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.name}
          />
          <PartnerSelect
            label="Partner"
            partners={partners}
            value={partner?.id ?? null}
            onChange={(next) => {
              setPartner(next);
              setScopes([]);
            }}
            required
            error={errors.partnerId}
          />
          <Checkbox.Group
            label="Scopes"
            description={
              partner
                ? 'What the system may do. Grant only what it needs.'
                : 'Choose the partner first: it decides which scopes are possible.'
            }
            required
            value={scopes}
            onChange={setScopes}
            error={errors.scopes}
          >
            <Stack gap="xs" mt="xs">
              {partner
                ? scopesForPartnerType(partner.type).map((entry) => (
                    <Checkbox
                      key={entry.scope}
                      value={entry.scope}
                      label={entry.label}
                      description={entry.scope}
                    />
                  ))
                : null}
            </Stack>
          </Checkbox.Group>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Create client
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
