import { Alert, Box, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import type { EnrolmentConfirmation, SignInStep } from '../auth/auth-api.ts';
import { CodeStep } from '../auth/code-step.tsx';
import { NewPasswordStep } from '../auth/new-password-step.tsx';
import { PasswordStep } from '../auth/password-step.tsx';
import { RecoveryCodes } from '../auth/recovery-codes.tsx';
import { safeNext } from '../auth/safe-next.ts';
import { SecondFactorEnrolment } from '../auth/second-factor-enrolment.tsx';
import { type SignedOutReason, useSession } from '../auth/session-context.ts';
import { CellwayMark } from '../icons.tsx';

type Step =
  | { kind: 'password'; restarted: boolean }
  | { kind: 'code'; challengeId: string }
  | { kind: 'enrol'; challengeId: string }
  | { kind: 'new-password'; challengeId: string }
  | { kind: 'recovery-codes'; codes: string[]; email: string; then: SignInStep };

const notices: Record<SignedOutReason, { title: string; text: string; color: string }> = {
  'signed-out': { title: 'Signed out', text: 'You have signed out of Cellway.', color: 'teal' },
  'signed-out-everywhere': {
    title: 'Signed out everywhere',
    text: 'Your sessions on every device and browser have ended.',
    color: 'teal',
  },
  expired: {
    title: 'Your session has ended',
    text: 'For your security, sessions end after a period without activity. Sign in again to continue.',
    color: 'yellow',
  },
};

function SignedOutNotice({ reason }: { reason: SignedOutReason | undefined }) {
  if (!reason) return null;
  const notice = notices[reason];
  return (
    <Alert color={notice.color} variant="light" title={notice.title} role="status">
      <Text size="sm">{notice.text}</Text>
    </Alert>
  );
}

/**
 * Signing in: email and password, then whatever the server asks for next — a code from the
 * authenticator app, setting one up (with recovery codes shown once), or a new password.
 */
export function LoginPage() {
  const { state, signedIn } = useSession();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));
  const [step, setStep] = useState<Step>({ kind: 'password', restarted: false });

  useEffect(() => {
    document.title = 'Sign in · Cellway';
  }, []);

  if (state.status === 'authenticated') return <Navigate to={next} replace />;

  const restart = () => setStep({ kind: 'password', restarted: true });
  const follow = (result: SignInStep) => {
    switch (result.status) {
      case 'authenticated':
        signedIn(result.user);
        return;
      case 'second_factor_required':
        setStep({ kind: 'code', challengeId: result.challengeId });
        return;
      case 'second_factor_enrolment_required':
        setStep({ kind: 'enrol', challengeId: result.challengeId });
        return;
      case 'password_change_required':
        setStep({ kind: 'new-password', challengeId: result.challengeId });
        return;
    }
  };
  const enrolled = ({ recoveryCodes, ...then }: EnrolmentConfirmation) =>
    setStep({
      kind: 'recovery-codes',
      codes: recoveryCodes,
      email: then.status === 'authenticated' ? then.user.email : 'your Cellway account',
      then,
    });

  return (
    <Box maw={step.kind === 'password' ? 440 : 560} mx="auto" mt={{ base: 'md', sm: 48 }}>
      <Stack gap={6} align="center" mb="lg">
        <Text component="span" c="teal.7" lh={0}>
          <CellwayMark size={40} />
        </Text>
        <Title order={1} fz="h2" ta="center">
          Sign in to Cellway
        </Title>
        <Text size="sm" c="dimmed" ta="center">
          Advanced therapy management, vein to vein
        </Text>
      </Stack>
      <Paper withBorder radius="md" p={{ base: 'md', sm: 'xl' }} shadow="xs">
        {step.kind === 'password' ? (
          <PasswordStep
            onResult={follow}
            focusOnMount={step.restarted}
            notice={
              state.status === 'anonymous' && !step.restarted ? (
                <SignedOutNotice reason={state.reason} />
              ) : null
            }
          />
        ) : null}
        {step.kind === 'code' ? (
          <CodeStep challengeId={step.challengeId} onResult={follow} onRestart={restart} />
        ) : null}
        {step.kind === 'enrol' ? (
          <SecondFactorEnrolment
            challengeId={step.challengeId}
            onConfirmed={enrolled}
            onCancel={restart}
            cancelLabel="Start again"
          />
        ) : null}
        {step.kind === 'new-password' ? (
          <NewPasswordStep challengeId={step.challengeId} onResult={follow} onRestart={restart} />
        ) : null}
        {step.kind === 'recovery-codes' ? (
          <RecoveryCodes
            codes={step.codes}
            accountName={step.email}
            onDone={() => follow(step.then)}
            doneLabel="Continue to Cellway"
          />
        ) : null}
      </Paper>
    </Box>
  );
}
