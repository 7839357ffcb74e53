import { roleLabel, roleNames } from '../roles.ts';
import type { CustodyItemType } from './custody-api.ts';

/**
 * Eye-readable form of a stored ISBT 128 identifier (chain of identity or DIN): facility, year,
 * sequence and check character separated, as printed on the label, so a person reading it aloud
 * to a colleague does not lose their place. Anything else is shown as stored.
 */
export function displayIsbt(value: string): string {
  const match = /^([A-Z][0-9A-Z]{4})(\d{2})(\d{6})([0-9A-Z*])(-[0-9A-Z]+)?$/.exec(value);
  return match ? `${match[1]} ${match[2]} ${match[3]} ${match[4]}${match[5] ?? ''}` : value;
}

/** Server sentences name roles by code ("next by infusion_nurse"): say them as people do. */
export function withRoleLabels(text: string): string {
  return text.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (code) =>
    (roleNames as readonly string[]).includes(code) ? roleLabel(code).toLowerCase() : code,
  );
}

const itemTypes: Record<CustodyItemType, string> = {
  apheresis_bag: 'Apheresis bag',
  sample: 'Sample',
  final_product_bag: 'Final product bag',
  shipper: 'Shipper',
};

export function itemTypeLabel(type: string): string {
  return itemTypes[type as CustodyItemType] ?? type.replaceAll('_', ' ');
}

const checks: Record<string, string> = {
  bag_identified: 'Bag identified',
  chain_of_identity: 'Chain of identity',
  patient_mrn: 'Patient identifier 1: medical record number',
  patient_birth_date: 'Patient identifier 2: date of birth',
  product_expiry: 'Product expiry',
  release_status: 'QA release status',
};

/** The bedside check's name as the nurse reads it. */
export function bedsideCheckLabel(check: string): string {
  return checks[check] ?? check.replaceAll('_', ' ');
}

/** "completed_with_excursion" → "Completed with excursion". */
export function sentenceCase(code: string): string {
  const text = code.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function celsius(value: number): string {
  return `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} °C`;
}
