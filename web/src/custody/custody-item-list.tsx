import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { DateTimeText } from '../date-time-text.tsx';
import type { CustodyItem } from './custody-api.ts';
import { displayIsbt, itemTypeLabel, sentenceCase } from './custody-labels.ts';
import { LabelPrintButton } from './label-print-button.tsx';
import { ReleaseButton } from './release-button.tsx';

const statusColours: Record<string, string> = {
  in_custody: 'teal',
  in_transit: 'blue',
  infused: 'gray',
  discarded: 'gray',
};

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {children}
    </div>
  );
}

/**
 * Every physical unit of the therapy, one card each (they stack on a tablet): what it is, its
 * status, with whom and where it is, its expiry and its label.
 */
export function CustodyItemList({
  items,
  canPrint,
  canRelease,
  onChanged,
}: {
  items: CustodyItem[];
  canPrint: boolean;
  /** QA: final product bags not yet released get a release button. */
  canRelease: boolean;
  onChanged: () => void;
}) {
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No units recorded yet. The collection centre records the apheresis bag with its DIN when it is
        collected.
      </Text>
    );
  return (
    <Stack gap="sm" component="ul" className="plain-list" aria-label="Units">
      {items.map((item) => (
        <Paper key={item.id} component="li" withBorder radius="md" p="sm">
          <SimpleGrid cols={{ base: 1, xs: 2, lg: canPrint ? 4 : 3 }} spacing="sm">
            <div>
              <Text size="sm" fw={600}>
                {itemTypeLabel(item.itemType)}
              </Text>
              <Text size="sm" ff="monospace">
                {displayIsbt(item.unitCode)}
              </Text>
              {item.lot ? (
                <Text size="xs" c="dimmed">
                  Lot {item.lot}
                </Text>
              ) : null}
            </div>
            <Fact label="Status">
              <Group gap={6} wrap="wrap">
                <Badge color={statusColours[item.status] ?? 'gray'} variant="light">
                  {sentenceCase(item.status)}
                </Badge>
                {item.itemType === 'final_product_bag' ? (
                  <Badge color={item.releaseStatus === 'released' ? 'teal' : 'orange'} variant="outline">
                    {item.releaseStatus === 'released' ? 'Released by QA' : sentenceCase(item.releaseStatus)}
                  </Badge>
                ) : null}
              </Group>
              {canRelease && item.itemType === 'final_product_bag' && item.releaseStatus !== 'released' ? (
                <div style={{ marginTop: 6 }}>
                  <ReleaseButton item={item} onReleased={onChanged} />
                </div>
              ) : null}
              {item.expiresAt ? (
                <Text size="xs" c="dimmed" mt={4} component="div">
                  Expires <DateTimeText iso={item.expiresAt} withUtc={false} />
                </Text>
              ) : null}
            </Fact>
            <Fact label="Custodian and location">
              <Text size="sm">{item.custodian.partnerName}</Text>
              <Text size="xs" c="dimmed">
                {item.site?.name ?? 'no site recorded'}
              </Text>
            </Fact>
            {canPrint ? (
              <Fact
                label={
                  item.labelPrints === 0
                    ? 'Label not printed yet'
                    : `Label printed ${item.labelPrints} time${item.labelPrints === 1 ? '' : 's'}`
                }
              >
                <LabelPrintButton item={item} onPrinted={onChanged} />
              </Fact>
            ) : null}
          </SimpleGrid>
        </Paper>
      ))}
    </Stack>
  );
}
