import { Group, Text } from '@mantine/core';
import { roleLabel } from '../roles.ts';
import type { Signature } from './signatures-api.ts';

/** One signature as 21 CFR 11.50 asks: printed name, date and time (UTC and site local) and meaning. */
export function SignatureManifestation({ signature }: { signature: Signature }) {
  return (
    <div>
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={650}>
          {signature.signerName}
        </Text>
        <Text size="xs" c="dimmed">
          {roleLabel(signature.signerRole)}
        </Text>
      </Group>
      <Text size="sm">“{signature.meaning}”</Text>
      <Text size="xs" c="dimmed">
        {signature.signedAt.slice(0, 19).replace('T', ' ')} UTC · {signature.signedAtLocal}
      </Text>
    </div>
  );
}
