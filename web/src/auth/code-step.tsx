import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { splitProblem } from '../form-problem.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { AccountLockedAlert } from './account-locked-alert.tsx';
import { isSignInExpired, type SignInStep, verifySecondFactor } from './auth-api.ts';
import { OneTimeCodeInput } from './one-time-code-input.tsx';
import { SignInExpiredAlert } from './sign-in-expired-alert.tsx';
import { StepHeading } from './step-heading.tsx';

interface CodeStepProps {
  challengeId: string;
  onResult: (step: SignInStep) => void;
  onRestart: () => void;
}

/** A wrong code comes back as 401 or 422 without naming a field: show it next to the code. */
function isWrongCode(problem: ProblemDetail): boolean {
  return (
    [400, 401, 422].includes(problem.status ?? 0) && !problem.errors?.length && !isSignInExpired(problem)
  );
}

/** Second step of signing in: the code from the authenticator app, or one of the recovery codes. */
export function CodeStep({ challengeId, onResult, onRestart }: CodeStepProps) {
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [localError, setLocalError] = useState<string | undefined>();

  const wrongCode = problem !== null && isWrongCode(problem);
  const { fieldErrors, alert } = splitProblem(wrongCode ? null : problem, ['code']);
  const codeError =
    localError ??
    fieldErrors.code ??
    (wrongCode
      ? (problem.detail ?? '') ||
        (useRecoveryCode
          ? 'That recovery code is not right, or it has been used already.'
          : 'That code is not right. Codes change every 30 seconds: enter the one your app shows now.')
      : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = code.trim();
    if (!useRecoveryCode && !/^\d{6}$/.test(value)) {
      setLocalError('Enter the 6 digits your authenticator app shows.');
      return;
    }
    if (useRecoveryCode && !value) {
      setLocalError('Enter one of your recovery codes.');
      return;
    }
    setLocalError(undefined);
    setBusy(true);
    setProblem(null);
    try {
      onResult(await verifySecondFactor(challengeId, value));
    } catch (error) {
      setProblem(problemOf(error));
      setCode('');
      setBusy(false);
    }
  };

  const toggle = () => {
    setUseRecoveryCode((current) => !current);
    setCode('');
    setProblem(null);
    setLocalError(undefined);
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="code-heading">
      <Stack gap="md">
        <StepHeading id="code-heading" focusOnMount>
          {useRecoveryCode ? 'Enter a recovery code' : 'Enter your code'}
        </StepHeading>
        <Text size="sm">
          {useRecoveryCode
            ? 'Enter one of the recovery codes you saved when you set up your second factor. Each code works once.'
            : 'Open the authenticator app on your phone and enter the 6-digit code it shows for Cellway.'}
        </Text>
        {alert?.status === 423 ? (
          <AccountLockedAlert problem={alert} />
        ) : alert && isSignInExpired(alert) ? (
          <SignInExpiredAlert problem={alert} onRestart={onRestart} />
        ) : alert ? (
          <ProblemAlert problem={alert} action="check your code" />
        ) : null}
        {useRecoveryCode ? (
          <TextInput
            label="Recovery code"
            name="recoveryCode"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            error={codeError}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        ) : (
          <OneTimeCodeInput value={code} onChange={setCode} error={codeError} />
        )}
        <Button type="submit" loading={busy} fullWidth>
          Verify
        </Button>
        <Group justify="space-between" gap="xs">
          <Anchor component="button" type="button" size="sm" onClick={toggle}>
            {useRecoveryCode ? 'Use the code from my app' : 'Use a recovery code'}
          </Anchor>
          <Anchor component="button" type="button" size="sm" onClick={onRestart}>
            Start again
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}
