import { Badge, Group, Stack, Text } from '@mantine/core';
import { roleLabel } from '../roles.ts';
import type { Handoff } from './custody-api.ts';

/** Signatures a hand-off needs and has: each manifestation in full, and who still has to sign. */
export function HandoffSignatureList({ handoff }: { handoff: Handoff }) {
  const { signatureRequirement: needed } = handoff;
  const missing = Math.max(needed.count - handoff.signaturesGiven, 0);
  const slots = Array.from({ length: missing }, (_, n) => handoff.signaturesGiven + n + 1);
  if (needed.count === 0 && handoff.signatures.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No signature required for this hand-off.
      </Text>
    );
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        {needed.count} signature{needed.count === 1 ? '' : 's'} “{needed.meaning}” by{' '}
        {needed.signerRoles.map(roleLabel).join(needed.mode === 'sequential' ? ', then ' : ' or ')}
        {needed.count > 1 ? ` (${needed.mode})` : ''}
      </Text>
      <Stack gap={6} component="ol" className="plain-list" aria-label="Signatures">
        {handoff.signatures.map((s) => (
          <li key={s.id}>
            <Group gap="xs" wrap="wrap">
              <Text size="sm" fw={650}>
                {s.signerName}
              </Text>
              <Text size="xs" c="dimmed">
                {roleLabel(s.signerRole)}
              </Text>
              {s.valid ? null : (
                <Badge color="orange" variant="light" size="sm">
                  Void: the record changed after signing
                </Badge>
              )}
            </Group>
            <Text size="sm">“{s.meaning}”</Text>
            <Text size="xs" c="dimmed">
              {s.signedAt.slice(0, 19).replace('T', ' ')} UTC · {s.signedAtLocal}
            </Text>
          </li>
        ))}
        {slots.map((slot) => (
          <li key={`slot-${slot}`}>
            <Text size="sm" c="orange.9" fw={600}>
              Awaiting signature {slot} of {needed.count}
              {slot === handoff.signaturesGiven + 1 && handoff.nextSignerRoles.length > 0
                ? `: ${handoff.nextSignerRoles.map(roleLabel).join(' or ')}`
                : ''}
            </Text>
          </li>
        ))}
      </Stack>
    </Stack>
  );
}
