import { Alert, Box, Button, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { changePassword } from '../auth/auth-api.ts';
import { NewPasswordFields } from '../auth/new-password-fields.tsx';
import { PasswordField } from '../auth/password-field.tsx';
import { checkNewPassword } from '../auth/password-policy.ts';
import { splitProblem } from '../form-problem.ts';
import { ProblemAlert } from '../problem-alert.tsx';

/** A refused current password comes back as 401 or 403 without naming a field: show it next to that field. */
function isWrongCurrentPassword(problem: ProblemDetail): boolean {
  return (problem.status === 401 || problem.status === 403) && !problem.errors?.length;
}

/** Change your own password: the current one, then the new one twice. */
export function ChangePasswordForm() {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [changed, setChanged] = useState(false);

  const wrongCurrent = problem !== null && isWrongCurrentPassword(problem);
  const { fieldErrors, alert } = splitProblem(wrongCurrent ? null : problem, [
    'currentPassword',
    'newPassword',
  ]);
  const errors: Record<string, string | undefined> = {
    ...fieldErrors,
    ...(wrongCurrent ? { currentPassword: problem.detail || 'Your current password is not right.' } : {}),
    ...localErrors,
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChanged(false);
    const checked = checkNewPassword(newPassword, confirmation);
    if (!currentPassword) checked.currentPassword = 'Enter your current password.';
    setLocalErrors(checked);
    if (Object.keys(checked).length > 0) return;
    setBusy(true);
    setProblem(null);
    try {
      await changePassword(currentPassword, newPassword);
      setCurrentPassword('');
      setNewPassword('');
      setConfirmation('');
      setChanged(true);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label="Change password">
      <Stack gap="md" maw={480}>
        {changed ? (
          <Alert color="teal" variant="light" title="Password changed" role="status">
            <Text size="sm">Use your new password the next time you sign in.</Text>
          </Alert>
        ) : null}
        {alert ? <ProblemAlert problem={alert} action="change your password" /> : null}
        <PasswordField
          label="Current password"
          name="current-password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={setCurrentPassword}
          error={errors.currentPassword}
        />
        <NewPasswordFields
          newPassword={newPassword}
          confirmation={confirmation}
          onNewPasswordChange={setNewPassword}
          onConfirmationChange={setConfirmation}
          errors={errors}
        />
        <Box>
          <Button type="submit" loading={busy}>
            Change password
          </Button>
        </Box>
      </Stack>
    </form>
  );
}
