import type { TemplateDuration } from './therapy-api.ts';

const therapyTypeLabels: Record<string, string> = {
  car_t_autologous: 'Autologous CAR-T',
  car_t_allogeneic: 'Allogeneic CAR-T',
  gene_therapy_ex_vivo: 'Ex-vivo gene therapy',
  gene_therapy_in_vivo: 'In-vivo gene therapy',
  mrna_personalised: 'Personalised mRNA vaccine',
};

/** `car_t_autologous` → "Autologous CAR-T"; unknown types are humanised. */
export function therapyTypeLabel(type: string): string {
  return therapyTypeLabels[type] ?? humanise(type);
}

/** The therapy types the app knows, for filters. */
export const therapyTypeOptions = Object.entries(therapyTypeLabels).map(([value, label]) => ({
  value,
  label,
}));

/** `product_out_of_specification` → "Product out of specification". */
export function humanise(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const unitWords: Record<string, [string, string]> = {
  W: ['week', 'weeks'],
  D: ['day', 'days'],
  H: ['hour', 'hours'],
  M: ['minute', 'minutes'],
  S: ['second', 'seconds'],
};

function amount(value: number, unit: [string, string]): string {
  return `${value} ${value === 1 ? unit[0] : unit[1]}`;
}

/** `P1DT4H` → "1 day 4 hours"; `{ amount: 2, unit: 'days' }` → "2 days". Unreadable input is shown as it is. */
export function durationLabel(duration: TemplateDuration): string {
  if (typeof duration !== 'string') {
    const unit = duration.unit.replace(/s$/, '');
    return `${duration.amount} ${duration.amount === 1 ? unit : `${unit}s`}`;
  }
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!match) return duration;
  const parts: string[] = [];
  ['W', 'D', 'H', 'M', 'S'].forEach((letter, index) => {
    const value = match[index + 1];
    const words = unitWords[letter];
    if (value && words) parts.push(amount(Number(value), words));
  });
  return parts.length > 0 ? parts.join(' ') : duration;
}

/** 1–21 days, 0–48 hours. */
export function leadTimeLabel(min: number, max: number, unit: string): string {
  return min === max ? `${min} ${unit}` : `${min}–${max} ${unit}`;
}
