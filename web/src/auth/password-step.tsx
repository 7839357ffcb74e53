import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { splitProblem } from '../form-problem.ts';
import { AlertIcon } from '../icons.tsx';
import { ProblemAlert } from '../problem-alert.tsx';
import { AccountLockedAlert } from './account-locked-alert.tsx';
import { type SignInStep, signIn } from './auth-api.ts';
import { PasswordField } from './password-field.tsx';
import { StepHeading } from './step-heading.tsx';

interface PasswordStepProps {
  onResult: (step: SignInStep) => void;
  /** Shown above the form, e.g. why the person was signed out. */
  notice?: ReactNode;
  focusOnMount?: boolean;
}

function SignInRefusal({ problem }: { problem: ProblemDetail }) {
  if (problem.status === 401) {
    return (
      <Alert
        color="red"
        variant="light"
        title="Wrong email or password"
        icon={<AlertIcon size={20} />}
        role="alert"
      >
        <Text size="sm">
          Check both and try again. After several wrong attempts the account is locked for a while, to protect
          it.
        </Text>
      </Alert>
    );
  }
  if (problem.status === 423) return <AccountLockedAlert problem={problem} />;
  return <ProblemAlert problem={problem} action="sign you in" />;
}

/** First step of signing in: email and password. */
export function PasswordStep({ onResult, notice, focusOnMount }: PasswordStepProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const { fieldErrors, alert } = splitProblem(problem, ['email', 'password']);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const empty: Record<string, string> = {};
    if (!email.trim()) empty.email = 'Enter your email.';
    if (!password) empty.password = 'Enter your password.';
    setMissing(empty);
    if (Object.keys(empty).length > 0) return;
    setBusy(true);
    setProblem(null);
    try {
      onResult(await signIn(email.trim(), password));
    } catch (error) {
      setProblem(problemOf(error));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="sign-in-heading">
      <Stack gap="md">
        <StepHeading id="sign-in-heading" focusOnMount={focusOnMount}>
          Sign in
        </StepHeading>
        {notice}
        {alert ? <SignInRefusal problem={alert} /> : null}
        <TextInput
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          error={missing.email ?? fieldErrors.email}
        />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={missing.password ?? fieldErrors.password}
        />
        <Button type="submit" loading={busy} fullWidth>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
