import { TextInput } from '@mantine/core';

interface OneTimeCodeInputProps {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  label?: string;
  description?: string;
}

/** A 6-digit authenticator code: numeric keyboard on tablets, filled in by password managers, digits only. */
export function OneTimeCodeInput({
  value,
  onChange,
  error,
  label = '6-digit code',
  description,
}: OneTimeCodeInputProps) {
  return (
    <TextInput
      label={label}
      description={description}
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      required
      value={value}
      onChange={(event) => onChange(event.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
      error={error}
      styles={{
        input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.3em', maxWidth: 200 },
      }}
    />
  );
}
