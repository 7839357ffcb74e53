import { Alert, Box, Button, Checkbox, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { CopyTextButton } from '../copy-text-button.tsx';
import { DownloadIcon } from '../icons.tsx';
import { StepHeading } from './step-heading.tsx';

interface RecoveryCodesProps {
  headingOrder?: 2 | 3;
  codes: string[];
  /** Whose codes these are, written into the downloaded file. */
  accountName: string;
  onDone: () => void;
  doneLabel?: string;
}

function codesFile(codes: string[], accountName: string): string {
  return [
    `Cellway recovery codes for ${accountName}`,
    `Created ${new Date().toISOString()}`,
    'Each code signs you in once if you cannot use your authenticator app. Keep them somewhere safe.',
    '',
    ...codes,
    '',
  ].join('\n');
}

function download(text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'cellway-recovery-codes.txt';
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** Shows the recovery codes exactly once, and asks the person to confirm they saved them. */
export function RecoveryCodes({
  codes,
  accountName,
  onDone,
  doneLabel = 'Continue',
  headingOrder = 2,
}: RecoveryCodesProps) {
  const [saved, setSaved] = useState(false);
  const [reminder, setReminder] = useState(false);
  const text = codesFile(codes, accountName);

  const finish = () => {
    if (!saved) {
      setReminder(true);
      return;
    }
    onDone();
  };

  return (
    <Stack gap="md">
      <StepHeading order={headingOrder} focusOnMount>
        Save your recovery codes
      </StepHeading>
      <Alert color="yellow" variant="light" title="You will see these codes only once">
        <Text size="sm">
          If you lose your phone, each code signs you in once instead of the 6-digit code. Store them in your
          password manager or print them; Cellway cannot show them again.
        </Text>
      </Alert>
      <Paper withBorder radius="md" p="md" bg="gray.0">
        <Box
          component="ol"
          aria-label="Recovery codes"
          m={0}
          p={0}
          style={{
            listStyle: 'none',
            display: 'grid',
            gridTemplateColumns: 'repeat(auto-fill, minmax(12.5rem, 1fr))',
            gap: '6px 16px',
          }}
        >
          {codes.map((code) => (
            <Text key={code} component="li" ff="monospace" fz="md" style={{ whiteSpace: 'nowrap' }}>
              {code}
            </Text>
          ))}
        </Box>
      </Paper>
      <Group gap="sm">
        <CopyTextButton value={codes.join('\n')} what="codes" />
        <Button
          variant="default"
          size="xs"
          leftSection={<DownloadIcon size={16} />}
          onClick={() => download(text)}
        >
          Download as text
        </Button>
      </Group>
      <Box>
        <Checkbox
          label="I have saved my recovery codes somewhere safe"
          checked={saved}
          onChange={(event) => {
            setSaved(event.currentTarget.checked);
            setReminder(false);
          }}
          error={reminder ? 'Save the codes first, then tick this box.' : undefined}
        />
      </Box>
      <Button onClick={finish} fullWidth>
        {doneLabel}
      </Button>
    </Stack>
  );
}
