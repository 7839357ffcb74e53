import { Group, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { siteKindLabel, siteKinds } from '../site-kinds.ts';
import { useFormSubmit } from '../use-form-submit.ts';
import { type AdminPartner, addSite, type NewSite, type Site } from './admin-api.ts';
import { CountryInput } from './country-input.tsx';
import { ModalForm } from './modal-form.tsx';

interface AddSiteModalProps {
  /** The partner to add a site to; the modal is open while this is set. */
  partner: AdminPartner | null;
  onClose: () => void;
  onAdded: (site: Site) => void;
}

const kindOptions = siteKinds.map((kind) => ({ value: kind, label: siteKindLabel(kind) }));

function timeZoneOptions(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
// Browsers list canonical zones only; keep UTC and the browser's own zone choosable whatever it is called.
const zones = [...new Set([...timeZoneOptions(), 'UTC', browserZone])].sort();

function blankSite(partner: AdminPartner | null): NewSite {
  return { code: '', name: '', kind: '', timeZone: browserZone, city: '', country: partner?.country ?? '' };
}

/** Adds a site (a hospital ward, a plant, a depot…) to a partner. */
export function AddSiteModal({ partner, onClose, onAdded }: AddSiteModalProps) {
  const [form, setForm] = useState<NewSite>(() => blankSite(partner));
  const [formFor, setFormFor] = useState<string | null>(partner?.id ?? null);
  const { errors, alert, busy, submit, reset } = useFormSubmit([
    'code',
    'name',
    'kind',
    'timeZone',
    'city',
    'country',
  ]);

  // A different partner was chosen: start from a blank form in that partner's country.
  if ((partner?.id ?? null) !== formFor) {
    setFormFor(partner?.id ?? null);
    setForm(blankSite(partner));
    reset();
  }

  const set = (field: keyof NewSite) => (value: string) =>
    setForm((current) => ({ ...current, [field]: value }));

  const add = () => {
    if (!partner) return;
    const empty: Record<string, string> = {};
    if (!form.name.trim()) empty.name = 'Enter the site’s name.';
    if (!form.code.trim()) empty.code = 'Enter a short code.';
    if (!form.kind) empty.kind = 'Choose the kind of site.';
    if (!form.timeZone) empty.timeZone = 'Choose the time zone the site works in.';
    if (!form.city.trim()) empty.city = 'Enter the city.';
    if (form.country.length !== 2) empty.country = 'Enter the two-letter country code.';
    void submit(empty, async () => {
      onAdded(
        await addSite(partner.id, {
          ...form,
          code: form.code.trim(),
          name: form.name.trim(),
          city: form.city.trim(),
        }),
      );
    });
  };

  return (
    <ModalForm
      opened={partner !== null}
      onClose={onClose}
      title={partner ? `Add a site to ${partner.name}` : 'Add a site'}
      onSubmit={add}
      alert={alert}
      action="add the site"
      submitLabel="Add site"
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
        description="A short identifier, unique within the partner."
        required
        value={form.code}
        onChange={(event) => set('code')(event.currentTarget.value)}
        error={errors.code}
        w={{ base: '100%', xs: 320 }}
      />
      <Select
        label="Kind"
        required
        data={kindOptions}
        value={form.kind || null}
        onChange={(value) => set('kind')(value ?? '')}
        error={errors.kind}
        w={{ base: '100%', xs: 320 }}
        comboboxProps={{ withinPortal: true }}
      />
      <Select
        label="Time zone"
        description="Opening hours and slots at this site are in this time zone."
        required
        searchable
        data={zones}
        value={form.timeZone || null}
        onChange={(value) => set('timeZone')(value ?? '')}
        error={errors.timeZone}
        w={{ base: '100%', xs: 320 }}
        limit={50}
        comboboxProps={{ withinPortal: true }}
      />
      <Group gap="md" align="flex-start" grow wrap="wrap">
        <TextInput
          label="City"
          required
          value={form.city}
          onChange={(event) => set('city')(event.currentTarget.value)}
          error={errors.city}
          miw={200}
        />
        <CountryInput value={form.country} onChange={set('country')} error={errors.country} />
      </Group>
    </ModalForm>
  );
}
