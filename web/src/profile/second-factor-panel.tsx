import { Alert, Badge, Box, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { EnrolmentConfirmation, Me } from '../auth/auth-api.ts';
import { RecoveryCodes } from '../auth/recovery-codes.tsx';
import { SecondFactorEnrolment } from '../auth/second-factor-enrolment.tsx';
import { useSession } from '../auth/session-context.ts';

type Mode = { kind: 'status' } | { kind: 'enrolling' } | { kind: 'codes'; result: EnrolmentConfirmation };

/** Whether the account has a second factor, and setting one up from the profile. */
export function SecondFactorPanel({ me }: { me: Me }) {
  const { signedIn } = useSession();
  const [mode, setMode] = useState<Mode>({ kind: 'status' });
  const [justEnabled, setJustEnabled] = useState(false);

  if (mode.kind === 'enrolling') {
    return (
      <SecondFactorEnrolment
        onConfirmed={(result) => {
          if (result.status === 'authenticated') signedIn(result.user);
          setMode({ kind: 'codes', result });
        }}
        headingOrder={3}
        onCancel={() => setMode({ kind: 'status' })}
        cancelLabel="Cancel"
      />
    );
  }

  if (mode.kind === 'codes') {
    return (
      <Box maw={560}>
        <RecoveryCodes
          codes={mode.result.recoveryCodes}
          accountName={me.email}
          doneLabel="Done"
          headingOrder={3}
          onDone={() => {
            setJustEnabled(true);
            setMode({ kind: 'status' });
          }}
        />
      </Box>
    );
  }

  return (
    <Stack gap="sm" maw={640}>
      {justEnabled ? (
        <Alert color="teal" variant="light" title="Second factor set up" role="status">
          <Text size="sm">
            From now on, Cellway asks for a code from your authenticator app when you sign in.
          </Text>
        </Alert>
      ) : null}
      <Group gap="sm">
        <Text size="sm" fw={500}>
          Status
        </Text>
        {me.secondFactorEnabled ? (
          <Badge color="teal" variant="light">
            On
          </Badge>
        ) : (
          <Badge color="gray" variant="light">
            Not set up
          </Badge>
        )}
      </Group>
      {me.secondFactorEnabled ? (
        <Text size="sm">
          You sign in with your password and a code from your authenticator app. If you lose your phone, use
          one of your recovery codes, or ask an administrator to reset your access.
        </Text>
      ) : (
        <>
          <Text size="sm">
            Add a code from an authenticator app on your phone to your password, so that a stolen password
            alone cannot open your account.
          </Text>
          <Box>
            <Button onClick={() => setMode({ kind: 'enrolling' })}>Set up second factor</Button>
          </Box>
        </>
      )}
    </Stack>
  );
}
