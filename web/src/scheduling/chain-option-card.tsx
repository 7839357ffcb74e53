import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { ChainTimeline } from './chain-timeline.tsx';
import type { SlotChain } from './scheduling-api.ts';
import { dayLabel } from './scheduling-labels.ts';

interface ChainOptionCardProps {
  chain: SlotChain;
  /** 1-based position among the options shown. */
  position: number;
  /** The first option, to mark what this one does differently. */
  reference?: SlotChain;
  busy: boolean;
  onHold: () => void;
  onBook: () => void;
  /** Taking is not possible (e.g. the case already has a booking); shown instead of the buttons. */
  disabledReason?: string;
}

function differences(chain: SlotChain, reference: SlotChain | undefined): Map<string, string> {
  const notes = new Map<string, string>();
  if (!reference || reference === chain) return notes;
  for (const step of chain.steps) {
    const other = reference.steps.find((s) => s.stepKey === step.stepKey);
    if (!other) continue;
    if (other.siteId !== step.siteId) notes.set(step.stepKey, 'Another site than option 1');
    else if (other.day !== step.day) notes.set(step.stepKey, 'Another day than option 1');
  }
  return notes;
}

/** One complete chain the search found, as a column: ranking facts, its timeline, hold or book. */
export function ChainOptionCard({
  chain,
  position,
  reference,
  busy,
  onHold,
  onBook,
  disabledReason,
}: ChainOptionCardProps) {
  const requests = chain.steps.filter((step) => !step.published).length;
  const headingId = `chain-option-${position}`;
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-labelledby={headingId}>
      <Stack gap="sm" h="100%">
        <div>
          <Group justify="space-between" align="baseline" gap="xs">
            <Text component="h3" id={headingId} fw={700} fz="md">
              Option {position}
            </Text>
            {position === 1 ? (
              <Badge color="teal" variant="light">
                Best
              </Badge>
            ) : null}
          </Group>
          <Text size="sm">
            Infusion <strong>{dayLabel(chain.infusionDay)}</strong>
          </Text>
          <Group gap={6} mt={6}>
            <Badge variant="light" color="blue" title="Preferred site sets are tried in rank order">
              Site set {chain.siteSetRank}
            </Badge>
            <Badge variant="light" color="gray" title="Share of the plant's capacity already taken">
              Plant load {Math.round(chain.plantLoad * 100)}%
            </Badge>
            {requests > 0 ? (
              <Badge variant="outline" color="violet">
                {requests === 1 ? '1 request' : `${requests} requests`}
              </Badge>
            ) : null}
          </Group>
        </div>
        <ChainTimeline
          steps={chain.steps}
          notes={differences(chain, reference)}
          label={`Steps of option ${position}`}
        />
        {requests > 0 ? (
          <Text size="xs" c="dimmed">
            Unpublished slots are requested from their sites; the booking completes once they confirm.
          </Text>
        ) : null}
        <div style={{ marginTop: 'auto' }}>
          {disabledReason ? (
            <Text size="sm" c="dimmed">
              {disabledReason}
            </Text>
          ) : (
            <Group gap="sm">
              <Button onClick={onHold} loading={busy} aria-label={`Hold option ${position}`}>
                Hold
              </Button>
              <Button
                variant="default"
                onClick={onBook}
                disabled={busy}
                aria-label={`Book option ${position} now`}
              >
                Book now
              </Button>
            </Group>
          )}
        </div>
      </Stack>
    </Card>
  );
}
