import { Alert, Button, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { OneTimeCodeInput } from '../auth/one-time-code-input.tsx';
import { PasswordField } from '../auth/password-field.tsx';
import { CheckIcon } from '../icons.tsx';
import { ProblemAlert } from '../problem-alert.tsx';
import { SignatureManifestation } from './signature-manifestation.tsx';
import {
  fetchSigningRequirements,
  type Signature,
  type SignatureCredentials,
  type SigningRequirements,
} from './signatures-api.ts';

export interface SignatureDialogProps {
  opened: boolean;
  onClose: () => void;
  /** What the signature means, e.g. "Received by", "Released by QA", "Approved for use". */
  meaning: string;
  /** What is being signed, in words the signer recognises (the record, its identifiers, its values). */
  recordSummary: ReactNode;
  /** Sends the signing request; resolves with the signature given, or rejects with the server's problem. */
  sign: (credentials: SignatureCredentials) => Promise<Signature>;
  /** Called once signed, before the signer closes the dialog. */
  onSigned?: (signature: Signature) => void;
}

/**
 * The electronic signature dialog (21 CFR Part 11): shows what is signed and what the signature
 * means, asks for the password again (and the one-time code when the signer has an authenticator),
 * then shows the manifestation the record will carry. Reused by every screen that signs.
 */
export function SignatureDialog(props: SignatureDialogProps) {
  // A fresh form every time the dialog opens: a typed password never lingers for the next signing.
  return props.opened ? <SignatureForm {...props} /> : null;
}

function lockedText(until: string): string {
  return `Signing is locked for your account until ${new Date(until).toLocaleString()} after repeated failed attempts. You can keep working; QA and administrators have been told.`;
}

function SignatureForm({ onClose, meaning, recordSummary, sign, onSigned }: SignatureDialogProps) {
  const [requirements, setRequirements] = useState<SigningRequirements | null>(null);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [askCode, setAskCode] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [missing, setMissing] = useState<{ password?: string; code?: string }>({});
  const [signed, setSigned] = useState<Signature | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchSigningRequirements(controller.signal).then(
      (found) => {
        setRequirements(found);
        if (found.secondFactorRequired) setAskCode(true);
      },
      () => {},
    );
    return () => controller.abort();
  }, []);

  const locked =
    requirements?.signingLockedUntil ?? (problem?.signingLockedUntil as string | undefined) ?? null;

  const submit = async () => {
    const checks: { password?: string; code?: string } = {};
    if (!password) checks.password = 'Enter your password to sign';
    if (askCode && !/^\d{6}$/.test(code)) checks.code = 'Enter the 6-digit code from your authenticator app';
    setMissing(checks);
    if (Object.keys(checks).length > 0) return;
    setBusy(true);
    setProblem(null);
    try {
      const signature = await sign(askCode ? { password, oneTimeCode: code } : { password });
      setSigned(signature);
      onSigned?.(signature);
    } catch (error) {
      const found = problemOf(error);
      setProblem(found);
      if (found.secondFactorRequired) setAskCode(true);
      // A failed attempt never leaves the secret in the form for a second try by someone else.
      setPassword('');
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={signed ? 'Signed' : 'Electronic signature'} centered size="lg">
      {signed ? (
        <Stack gap="md">
          <Alert
            color="teal"
            variant="light"
            icon={<CheckIcon size={20} />}
            title="Your signature is recorded"
          >
            <Text size="sm">
              It is bound to this exact version of the record: any later change needs signing again.
            </Text>
          </Alert>
          <Paper withBorder p="md" radius="md" aria-label="Signature manifestation">
            <SignatureManifestation signature={signed} />
          </Paper>
          <Text size="xs" c="dimmed">
            {signed.manifestation}
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack gap="md">
            <Paper withBorder p="md" radius="md">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                You are signing
              </Text>
              <div>{recordSummary}</div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt="sm">
                Meaning of your signature
              </Text>
              <Text fw={650}>“{meaning}”</Text>
            </Paper>
            <Text size="sm" c="dimmed">
              Your electronic signature is the legally binding equivalent of your handwritten signature. It
              will show your name, the date and time (UTC and local) and its meaning wherever the record
              appears.
            </Text>
            {locked ? (
              <Alert color="orange" variant="light" title="Signing locked" role="alert">
                <Text size="sm">{lockedText(locked)}</Text>
              </Alert>
            ) : problem ? (
              <ProblemAlert problem={problem} action="sign" />
            ) : null}
            <PasswordField
              label="Your password"
              description="Signing asks for your password again, every time."
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              error={missing.password}
            />
            {askCode ? (
              <OneTimeCodeInput
                label="One-time code"
                description="From your authenticator app."
                value={code}
                onChange={setCode}
                {...(missing.code ? { error: missing.code } : {})}
              />
            ) : null}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={busy} disabled={Boolean(locked)}>
                Sign
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
