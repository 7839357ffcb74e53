import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { useSession } from './session-context.ts';

interface SignOutEverywhereModalProps {
  opened: boolean;
  onClose: () => void;
}

/** Confirms, then ends every session of the signed-in user: on this device and every other. */
export function SignOutEverywhereModal({ opened, onClose }: SignOutEverywhereModalProps) {
  const { signOutEverywhere } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);

  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await signOutEverywhere();
    } catch (error) {
      setProblem(problemOf(error));
      setBusy(false);
    }
  };

  const close = () => {
    setProblem(null);
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Sign out everywhere?" centered>
      <Stack gap="md">
        <Text size="sm">
          This ends your sessions on every device and browser, including this one. Use it if you signed in on
          a shared computer or think someone else may be using your account.
        </Text>
        {problem ? <ProblemAlert problem={problem} action="sign you out everywhere" /> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" loading={busy} onClick={() => void confirm()}>
            Sign out everywhere
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
