import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { splitProblem } from '../form-problem.ts';
import { partnerTypeLabel, partnerTypes } from '../partner-types.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { type AdminPartner, createPartner } from './admin-api.ts';
import { CountryInput } from './country-input.tsx';

interface CreatePartnerModalProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (partner: AdminPartner) => void;
}

const typeOptions = partnerTypes.map((type) => ({ value: type, label: partnerTypeLabel(type) }));
const blank = { code: '', name: '', type: '', country: '' };

/** Adds an organisation to the network. */
export function CreatePartnerModal({ opened, onClose, onCreated }: CreatePartnerModalProps) {
  const [form, setForm] = useState(blank);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const { fieldErrors, alert } = splitProblem(problem, ['code', 'name', 'type', 'country']);
  const errors = { ...fieldErrors, ...missing };
  const set = (field: keyof typeof blank) => (value: string) =>
    setForm((current) => ({ ...current, [field]: value }));

  const close = () => {
    setForm(blank);
    setMissing({});
    setProblem(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const empty: Record<string, string> = {};
    if (!form.code.trim()) empty.code = 'Enter a short code.';
    if (!form.name.trim()) empty.name = 'Enter the organisation’s name.';
    if (!form.type) empty.type = 'Choose the kind of organisation.';
    if (form.country.length !== 2) empty.country = 'Enter the two-letter country code.';
    setMissing(empty);
    if (Object.keys(empty).length > 0) return;
    setBusy(true);
    setProblem(null);
    try {
      const partner = await createPartner({
        code: form.code.trim(),
        name: form.name.trim(),
        type: form.type,
        country: form.country,
      });
      setBusy(false);
      setForm(blank);
      onCreated(partner);
    } catch (error) {
      setProblem(problemOf(error));
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title="Add a partner" centered size="lg">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          {alert ? <ProblemAlert problem={alert} action="add the partner" /> : null}
          <TextInput
            label="Name"
            required
            value={form.name}
            onChange={(event) => set('name')(event.currentTarget.value)}
            error={errors.name}
          />
          <TextInput
            label="Code"
            description="A short, unique identifier, e.g. AURORA or CHARITE-BERLIN."
            required
            value={form.code}
            onChange={(event) => set('code')(event.currentTarget.value)}
            error={errors.code}
            w={{ base: '100%', xs: 320 }}
          />
          <Select
            label="Type"
            required
            data={typeOptions}
            value={form.type || null}
            onChange={(value) => set('type')(value ?? '')}
            error={errors.type}
            w={{ base: '100%', xs: 320 }}
            comboboxProps={{ withinPortal: true }}
          />
          <CountryInput value={form.country} onChange={set('country')} error={errors.country} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Add partner
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
