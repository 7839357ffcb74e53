import { TextInput } from '@mantine/core';
import { countryName } from '../country-name.ts';

interface CountryInputProps {
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

/** An ISO 3166 country code, with the country's name shown as it is typed. */
export function CountryInput({ value, onChange, error }: CountryInputProps) {
  const name = value.length === 2 ? countryName(value) : '';
  return (
    <TextInput
      label="Country"
      description={name && name !== value ? name : 'Two-letter ISO code, e.g. DE, US, GB'}
      required
      maxLength={2}
      autoComplete="off"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value.toUpperCase().replace(/[^A-Z]/g, ''))}
      error={error}
      w={{ base: '100%', xs: 220 }}
    />
  );
}
