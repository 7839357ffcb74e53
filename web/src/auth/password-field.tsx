import { PasswordInput } from '@mantine/core';

interface PasswordFieldProps {
  label: string;
  description?: string;
  name: string;
  /** Lets password managers tell signing in (`current-password`) from choosing one (`new-password`). */
  autoComplete: 'current-password' | 'new-password';
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}

/** A required password input that reports its text, for the sign-in and password-changing forms. */
export function PasswordField({ onChange, ...props }: PasswordFieldProps) {
  return <PasswordInput required {...props} onChange={(event) => onChange(event.currentTarget.value)} />;
}
