import { Select } from '@mantine/core';
import { useMemo } from 'react';
import { fetchNetworkSummary, type NetworkPartner } from '../network-summary.ts';
import { partnerTypeOrder, partnerTypePluralLabel } from '../partner-types.ts';
import { type ResourceState, useResource } from '../use-resource.ts';

async function loadPartners(signal: AbortSignal): Promise<NetworkPartner[]> {
  const summary = await fetchNetworkSummary(signal);
  return summary.partners;
}

/** The partners of the network, for choosing one. */
export function usePartnerList(): ResourceState<NetworkPartner[]> {
  return useResource(loadPartners).state;
}

interface PartnerSelectProps {
  partners: ResourceState<NetworkPartner[]>;
  value: string | null;
  onChange: (partner: NetworkPartner | null) => void;
  label: string;
  placeholder?: string;
  required?: boolean;
  clearable?: boolean;
  error?: string;
  w?: number | string;
}

/** Choose a partner, grouped by type; says so when the list could not be loaded. */
export function PartnerSelect({
  partners,
  value,
  onChange,
  label,
  placeholder,
  required,
  clearable,
  error,
  w,
}: PartnerSelectProps) {
  const list = partners.status === 'success' ? partners.data : [];
  const data = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const partner of [...list].sort(
      (a, b) => partnerTypeOrder(a.type) - partnerTypeOrder(b.type) || a.name.localeCompare(b.name),
    )) {
      const group = partnerTypePluralLabel(partner.type);
      groups.set(group, [...(groups.get(group) ?? []), { value: partner.id, label: partner.name }]);
    }
    return [...groups].map(([group, items]) => ({ group, items }));
  }, [list]);

  const loadError =
    partners.status === 'error' ? `Could not load the partners: ${partners.problem.title}.` : undefined;

  return (
    <Select
      label={label}
      placeholder={partners.status === 'loading' ? 'Loading partners…' : placeholder}
      data={data}
      value={value}
      onChange={(id) => onChange(list.find((partner) => partner.id === id) ?? null)}
      searchable
      clearable={clearable}
      required={required}
      nothingFoundMessage="No partner of that name"
      error={error ?? loadError}
      disabled={partners.status !== 'success'}
      w={w}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
