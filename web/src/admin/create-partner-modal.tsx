import { Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { partnerTypeLabel, partnerTypes } from '../partner-types.ts';
import { useFormSubmit } from '../use-form-submit.ts';
import { type AdminPartner, createPartner } from './admin-api.ts';
import { CountryInput } from './country-input.tsx';
import { ModalForm } from './modal-form.tsx';

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
  const { errors, alert, busy, submit, reset } = useFormSubmit(['code', 'name', 'type', 'country']);
  const set = (field: keyof typeof blank) => (value: string) =>
    setForm((current) => ({ ...current, [field]: value }));

  const close = () => {
    setForm(blank);
    reset();
    onClose();
  };

  const create = () => {
    const empty: Record<string, string> = {};
    if (!form.code.trim()) empty.code = 'Enter a short code.';
    if (!form.name.trim()) empty.name = 'Enter the organisation’s name.';
    if (!form.type) empty.type = 'Choose the kind of organisation.';
    if (form.country.length !== 2) empty.country = 'Enter the two-letter country code.';
    void submit(empty, async () => {
      const partner = await createPartner({
        code: form.code.trim(),
        name: form.name.trim(),
        type: form.type,
        country: form.country,
      });
      setForm(blank);
      onCreated(partner);
    });
  };

  return (
    <ModalForm
      opened={opened}
      onClose={close}
      title="Add a partner"
      onSubmit={create}
      alert={alert}
      action="add the partner"
      submitLabel="Add partner"
      busy={busy}
    >
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
    </ModalForm>
  );
}
