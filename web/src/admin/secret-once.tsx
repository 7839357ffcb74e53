import { Alert, Code, Group, Stack, Text } from '@mantine/core';
import { CopyTextButton } from '../copy-text-button.tsx';

interface SecretOnceProps {
  /** What the secret is, e.g. "Temporary password". */
  label: string;
  value: string;
  /** What to do with it, for the person reading it. */
  instructions: string;
}

/** A secret the server shows exactly once: shown in full, with a copy button and a plain warning. */
export function SecretOnce({ label, value, instructions }: SecretOnceProps) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" variant="light" title="Shown only once">
        <Text size="sm">
          Copy it now. Cellway does not keep it in a readable form and cannot show it again. {instructions}
        </Text>
      </Alert>
      <Text size="sm" fw={600} id="secret-once-label">
        {label}
      </Text>
      <Group gap="sm" wrap="wrap" align="center">
        <Code
          aria-labelledby="secret-once-label"
          fz="md"
          p="xs"
          style={{ wordBreak: 'break-all', userSelect: 'all' }}
        >
          {value}
        </Code>
        <CopyTextButton value={value} what={label.toLowerCase()} />
      </Group>
    </Stack>
  );
}
