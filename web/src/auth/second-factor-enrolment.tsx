import { Anchor, Box, Button, Code, Group, Image, List, Skeleton, Stack, Text } from '@mantine/core';
import { type FormEvent, useCallback, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { CopyTextButton } from '../copy-text-button.tsx';
import { splitProblem } from '../form-problem.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { useResource } from '../use-resource.ts';
import { confirmEnrolment, type EnrolmentConfirmation, isSignInExpired, startEnrolment } from './auth-api.ts';
import { OneTimeCodeInput } from './one-time-code-input.tsx';
import { SignInExpiredAlert } from './sign-in-expired-alert.tsx';
import { StepHeading } from './step-heading.tsx';

interface SecondFactorEnrolmentProps {
  headingOrder?: 2 | 3;
  /** The sign-in challenge when enrolling while signing in; none when signed in. */
  challengeId?: string;
  onConfirmed: (result: EnrolmentConfirmation) => void;
  onCancel: () => void;
  cancelLabel: string;
  focusOnMount?: boolean;
}

/** `JBSWY3DPEHPK3PXP` → `JBSW Y3DP EHPK 3PXP`: easier to read aloud and type. */
function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** Sets up an authenticator app: scan the QR code (or type the key), then confirm with a code. */
export function SecondFactorEnrolment({
  challengeId,
  onConfirmed,
  onCancel,
  cancelLabel,
  focusOnMount = true,
  headingOrder = 2,
}: SecondFactorEnrolmentProps) {
  const load = useCallback((_signal: AbortSignal) => startEnrolment(challengeId), [challengeId]);
  const { state, reload } = useResource(load);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [localError, setLocalError] = useState<string | undefined>();
  const wrongCode = problem !== null && !problem.errors?.length && [400, 422].includes(problem.status ?? 0);
  const { fieldErrors, alert } = splitProblem(wrongCode ? null : problem, ['code']);
  const codeError =
    localError ??
    fieldErrors.code ??
    (wrongCode
      ? problem.detail || 'That code is not right. Enter the code your app shows now for Cellway.'
      : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setLocalError('Enter the 6 digits your authenticator app shows.');
      return;
    }
    setLocalError(undefined);
    setBusy(true);
    setProblem(null);
    try {
      onConfirmed(await confirmEnrolment(code, challengeId));
    } catch (error) {
      setProblem(problemOf(error));
      setCode('');
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <StepHeading id="enrol-heading" order={headingOrder} focusOnMount={focusOnMount}>
        Set up your second factor
      </StepHeading>
      <Text size="sm">
        {challengeId
          ? 'Your account needs a second factor before you can sign in. '
          : 'A second factor protects your account if someone learns your password. '}
        You need an authenticator app on your phone, such as FreeOTP, Aegis, Google Authenticator or Microsoft
        Authenticator.
      </Text>
      {state.status === 'loading' ? (
        <Stack gap="sm" aria-busy="true" aria-label="Preparing your authenticator key">
          <Skeleton height={200} width={200} radius="md" />
          <Skeleton height={20} width="60%" radius="sm" />
        </Stack>
      ) : null}
      {state.status === 'error' ? (
        <Stack gap="sm">
          {challengeId && isSignInExpired(state.problem) ? (
            <SignInExpiredAlert problem={state.problem} onRestart={onCancel} />
          ) : (
            <ProblemAlert problem={state.problem} action="prepare your authenticator key" />
          )}
          <Group gap="sm">
            <Button variant="default" size="xs" onClick={reload}>
              Try again
            </Button>
            <Button variant="subtle" size="xs" onClick={onCancel}>
              {cancelLabel}
            </Button>
          </Group>
        </Stack>
      ) : null}
      {state.status === 'success' ? (
        <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="enrol-heading">
          <List type="ordered" spacing="md" size="sm">
            <List.Item>
              <Text size="sm" mb="xs">
                In your app, add an account and scan this code.
              </Text>
              <Image
                src={state.data.qrCodeDataUrl}
                alt="QR code to add Cellway to your authenticator app"
                w={200}
                h={200}
                fit="contain"
                radius="sm"
                style={{ border: '1px solid var(--mantine-color-gray-3)' }}
              />
            </List.Item>
            <List.Item>
              <Text size="sm" mb={6}>
                Can't scan it? Choose to enter a key instead, and type this one (time-based):
              </Text>
              <Group gap="sm" wrap="wrap">
                <Code fz="md">{groupedSecret(state.data.secret)}</Code>
                <CopyTextButton value={state.data.secret} what="key" />
              </Group>
              <Text size="xs" c="dimmed" mt={4}>
                On this device?{' '}
                <Anchor href={state.data.otpauthUri} size="xs">
                  Open it in your authenticator app
                </Anchor>
                .
              </Text>
            </List.Item>
            <List.Item>
              <Text size="sm" mb="xs">
                Enter the 6-digit code the app now shows for Cellway.
              </Text>
              <OneTimeCodeInput value={code} onChange={setCode} error={codeError} />
            </List.Item>
          </List>
          {alert ? (
            <Box mt="md">
              {challengeId && isSignInExpired(alert) ? (
                <SignInExpiredAlert problem={alert} onRestart={onCancel} />
              ) : (
                <ProblemAlert problem={alert} action="confirm your second factor" />
              )}
            </Box>
          ) : null}
          <Group mt="lg" gap="sm">
            <Button type="submit" loading={busy}>
              Confirm
            </Button>
            <Button variant="subtle" onClick={onCancel} disabled={busy}>
              {cancelLabel}
            </Button>
          </Group>
        </form>
      ) : null}
    </Stack>
  );
}
