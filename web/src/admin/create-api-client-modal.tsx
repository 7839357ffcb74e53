import { Checkbox, Code, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { NetworkPartner } from '../network-summary.ts';
import { useFormSubmit } from '../use-form-submit.ts';
import type { ResourceState } from '../use-resource.ts';
import { type ApiClient, createApiClient } from './admin-api.ts';
import { scopesForPartnerType } from './api-scopes.ts';
import { ModalForm } from './modal-form.tsx';
import { PartnerSelect } from './partner-select.tsx';
import { SecretModal } from './secret-modal.tsx';
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
  const { errors, alert, busy, submit, reset } = useFormSubmit(['name', 'partnerId', 'scopes']);
  const [created, setCreated] = useState<{ client: ApiClient; clientSecret: string } | null>(null);
  const [wasOpened, setWasOpened] = useState(false);

  if (opened !== wasOpened) {
    setWasOpened(opened);
    if (opened) {
      setName('');
      setPartner(null);
      setScopes([]);
      reset();
      setCreated(null);
    }
  }

  const create = () => {
    const empty: Record<string, string> = {};
    if (!name.trim()) empty.name = 'Name the system that will use this client.';
    if (!partner) empty.partnerId = 'Choose the partner that runs the system.';
    if (scopes.length === 0) empty.scopes = 'Grant at least one scope.';
    void submit(empty, async () => {
      if (!partner) return;
      setCreated(await createApiClient({ name: name.trim(), partnerId: partner.id, scopes }));
      onCreated();
    });
  };

  if (created) {
    return (
      <SecretModal opened={opened} onClose={onClose} title={`${created.client.name} is registered`}>
        <Text size="sm">
          Client ID: <Code>{created.client.clientId}</Code>
        </Text>
        <SecretOnce
          label="Client secret"
          value={created.clientSecret}
          instructions="Store it in the calling system's secret store; never send it by email."
        />
      </SecretModal>
    );
  }

  return (
    <ModalForm
      opened={opened}
      onClose={onClose}
      title="Create an API client"
      onSubmit={create}
      alert={alert}
      action="create the API client"
      submitLabel="Create client"
      busy={busy}
    >
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
    </ModalForm>
  );
}
