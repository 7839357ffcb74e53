import { Group, Stack, Text } from '@mantine/core';
import { formatUtc } from '../date-time.ts';
import type { HandoffScan } from './custody-api.ts';
import { displayIsbt } from './custody-labels.ts';

const resultText = {
  matched: 'matched a unit of this hand-off',
  chain_of_identity: 'is this therapy’s chain of identity (not a unit)',
  mismatch: 'NOT in this hand-off',
} as const;

/** Every identifier scanned, each with a ✓ or ✗ and what it matched, so a wrong bag is seen at once. */
export function ScanResults({ scans }: { scans: HandoffScan[] }) {
  if (scans.length === 0)
    return (
      <Text size="sm" c="dimmed">
        Nothing scanned yet.
      </Text>
    );
  return (
    <Stack gap={4} component="ul" className="plain-list" aria-label="Scanned identifiers">
      {scans.map((scan) => {
        const bad = scan.result === 'mismatch';
        return (
          <Group
            key={scan.id}
            component="li"
            gap="xs"
            wrap="nowrap"
            align="baseline"
            data-scan-result={scan.result}
          >
            <Text fw={800} c={bad ? 'red.8' : 'teal.8'} aria-hidden="true" w={18}>
              {bad ? '✗' : '✓'}
            </Text>
            <div>
              <Text size="sm" ff="monospace" fw={600} c={bad ? 'red.8' : undefined}>
                {displayIsbt(scan.scanned)}
              </Text>
              <Text size="xs" c={bad ? 'red.8' : 'dimmed'}>
                {bad ? 'Mismatch: ' : 'Match: '}
                {resultText[scan.result]} · {formatUtc(scan.scannedAt)}
              </Text>
            </div>
          </Group>
        );
      })}
    </Stack>
  );
}
