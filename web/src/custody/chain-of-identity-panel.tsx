import { Group, Paper, Text } from '@mantine/core';
import { CopyTextButton } from '../copy-text-button.tsx';
import { displayIsbt } from './custody-labels.ts';

/** The chain of identity, large and monospaced, with a copy button: the identifier everything else hangs on. */
export function ChainOfIdentityPanel({ value }: { value: string | null }) {
  return (
    <Paper withBorder radius="md" p="md" className="coi-panel" aria-label="Chain of identity">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        Chain of identity
      </Text>
      {value ? (
        <Group gap="md" wrap="wrap" align="center">
          <Text
            component="p"
            ff="monospace"
            fz={{ base: 26, sm: 32 }}
            fw={700}
            lts={1}
            m={0}
            data-testid="chain-of-identity"
            title={value}
          >
            {displayIsbt(value)}
          </Text>
          <CopyTextButton value={value} what="chain of identity" />
        </Group>
      ) : (
        <Text size="sm" c="dimmed">
          Not assigned yet: it is assigned when the first unit of this therapy (the apheresis bag) is
          recorded.
        </Text>
      )}
    </Paper>
  );
}
