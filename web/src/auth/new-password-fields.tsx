import { PasswordInput, Stack } from '@mantine/core';
import { passwordPolicyHint } from './password-policy.ts';

interface NewPasswordFieldsProps {
  newPassword: string;
  confirmation: string;
  onNewPasswordChange: (value: string) => void;
  onConfirmationChange: (value: string) => void;
  errors: Record<string, string | undefined>;
}

/** New password and its confirmation, with the policy written next to them. */
export function NewPasswordFields({
  newPassword,
  confirmation,
  onNewPasswordChange,
  onConfirmationChange,
  errors,
}: NewPasswordFieldsProps) {
  return (
    <Stack gap="md">
      <PasswordInput
        label="New password"
        description={passwordPolicyHint}
        name="new-password"
        autoComplete="new-password"
        required
        value={newPassword}
        onChange={(event) => onNewPasswordChange(event.currentTarget.value)}
        error={errors.newPassword}
      />
      <PasswordInput
        label="Confirm new password"
        name="confirm-password"
        autoComplete="new-password"
        required
        value={confirmation}
        onChange={(event) => onConfirmationChange(event.currentTarget.value)}
        error={errors.confirmation}
      />
    </Stack>
  );
}
