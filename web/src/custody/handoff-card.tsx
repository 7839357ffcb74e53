import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { DateTimeText } from '../date-time-text.tsx';
import type { NetworkPartner } from '../network-summary.ts';
import { humanise } from '../therapy/therapy-labels.ts';
import { ConditionView } from './condition-view.tsx';
import type { Handoff } from './custody-api.ts';
import { displayIsbt } from './custody-labels.ts';
import { handoffPath } from './custody-paths.ts';
import { HandoffSignatureList } from './handoff-signature-list.tsx';
import { partnerName } from './partner-names.ts';
import { ScanResults } from './scan-results.tsx';

const statusColours: Record<string, string> = {
  draft: 'yellow',
  completed: 'teal',
  completed_with_excursion: 'red',
};

export function HandoffStatusBadge({ status }: { status: string }) {
  return (
    <Badge color={statusColours[status] ?? 'gray'} variant={status === 'draft' ? 'light' : 'filled'}>
      {status === 'draft' ? 'In progress' : humanise(status)}
    </Badge>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
        {title}
      </Text>
      {children}
    </div>
  );
}

/** One hand-off on the custody timeline: who to whom, when, units, scans, condition and signatures. */
export function HandoffCard({
  handoff,
  partners,
}: {
  handoff: Handoff;
  partners: Map<string, NetworkPartner>;
}) {
  const from = partnerName(partners, handoff.from.partnerId);
  const to = partnerName(partners, handoff.to.partnerId);
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="article"
      aria-label={`Hand-off from ${from} to ${to}`}
      className={handoff.condition?.excursion ? 'handoff-excursion' : undefined}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <div>
            <Text fw={650}>
              {from} → {to}
            </Text>
            <Text size="xs" c="dimmed">
              {handoff.step ? `Step ${humanise(handoff.step)} · ` : ''}
              {handoff.items.map((i) => displayIsbt(i.unitCode)).join(', ')}
            </Text>
          </div>
          <Group gap="xs">
            <HandoffStatusBadge status={handoff.status} />
            {handoff.status === 'draft' ? (
              <Anchor component={Link} to={handoffPath(handoff.id)} size="sm" fw={600}>
                Continue the hand-off
              </Anchor>
            ) : (
              <Anchor component={Link} to={handoffPath(handoff.id)} size="sm">
                Details
              </Anchor>
            )}
          </Group>
        </Group>
        <div>
          <Text size="xs" c="dimmed">
            {handoff.completedAt ? 'Completed' : 'Handed over'}
          </Text>
          <DateTimeText iso={handoff.completedAt ?? handoff.handedOverAt} />
        </div>
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
          <Section title="Scans">
            <ScanResults scans={handoff.scans} />
          </Section>
          <Section title="Condition">
            <ConditionView
              condition={handoff.condition}
              shipper={handoff.shipper}
              sealIntact={handoff.sealIntact}
              completed={handoff.status !== 'draft'}
            />
          </Section>
          <Section title="Signatures">
            <HandoffSignatureList handoff={handoff} />
          </Section>
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
