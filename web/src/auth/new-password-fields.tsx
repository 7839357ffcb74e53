import { Stack } from '@mantine/core';
import { PasswordField } from './password-field.tsx';
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
      <PasswordField
        label="New password"
        description={passwordPolicyHint}
        name="new-password"
        autoComplete="new-password"
        value={newPassword}
        onChange={onNewPasswordChange}
        error={errors.newPassword}
      />
      <PasswordField
        label="Confirm new password"
        name="confirm-password"
        autoComplete="new-password"
        value={confirmation}
        onChange={onConfirmationChange}
        error={errors.confirmation}
      />
    </Stack>
  );
}
