import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { splitProblem } from '../form-problem.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { changeRequiredPassword, isSignInExpired, type SignInStep } from './auth-api.ts';
import { NewPasswordFields } from './new-password-fields.tsx';
import { checkNewPassword } from './password-policy.ts';
import { SignInExpiredAlert } from './sign-in-expired-alert.tsx';
import { StepHeading } from './step-heading.tsx';

interface NewPasswordStepProps {
  challengeId: string;
  onResult: (step: SignInStep) => void;
  onRestart: () => void;
}

/** Signing in with a temporary (or expired) password: choose a new one before going on. */
export function NewPasswordStep({ challengeId, onResult, onRestart }: NewPasswordStepProps) {
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const { fieldErrors, alert } = splitProblem(problem, ['newPassword']);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const errors = checkNewPassword(newPassword, confirmation);
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    setProblem(null);
    try {
      onResult(await changeRequiredPassword(challengeId, newPassword));
    } catch (error) {
      setProblem(problemOf(error));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="new-password-heading">
      <Stack gap="md">
        <StepHeading id="new-password-heading" focusOnMount>
          Choose a new password
        </StepHeading>
        <Text size="sm">
          You signed in with a temporary password, or your password has expired. Choose a new one that only
          you know.
        </Text>
        {alert && isSignInExpired(alert) ? (
          <SignInExpiredAlert problem={alert} onRestart={onRestart} />
        ) : alert ? (
          <ProblemAlert problem={alert} action="change your password" />
        ) : null}
        <NewPasswordFields
          newPassword={newPassword}
          confirmation={confirmation}
          onNewPasswordChange={setNewPassword}
          onConfirmationChange={setConfirmation}
          errors={{ ...fieldErrors, ...localErrors }}
        />
        <Button type="submit" loading={busy} fullWidth>
          Change password and continue
        </Button>
        <Group justify="flex-end">
          <Anchor component="button" type="button" size="sm" onClick={onRestart}>
            Start again
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}
