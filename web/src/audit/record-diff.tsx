import { Badge, Code, Table, Text, VisuallyHidden } from '@mantine/core';

type RecordValue = Record<string, unknown> | null;

function stable(value: unknown): string {
  if (value === undefined) return '';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
}

function ValueText({ value, present }: { value: unknown; present: boolean }) {
  if (!present) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        absent
      </Text>
    );
  }
  if (value !== null && typeof value === 'object') {
    return (
      <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {JSON.stringify(value, null, 2)}
      </Code>
    );
  }
  return (
    <Text size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {JSON.stringify(value)}
    </Text>
  );
}

/** The fields of a record before and after a change, side by side, with the changed ones marked. */
export function RecordDiff({ before, after }: { before: RecordValue; after: RecordValue }) {
  if (before === null && after === null) {
    return (
      <Text size="sm" c="dimmed">
        This entry records no field values.
      </Text>
    );
  }
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  const changedCount = keys.filter(
    (key) =>
      Object.hasOwn(before ?? {}, key) !== Object.hasOwn(after ?? {}, key) ||
      stable(before?.[key]) !== stable(after?.[key]),
  ).length;

  return (
    <Table.ScrollContainer minWidth={560}>
      <Table
        withTableBorder
        withColumnBorders
        verticalSpacing={6}
        bg="var(--mantine-color-body)"
        layout="fixed"
      >
        <Table.Caption>
          {before === null
            ? 'Record created: the values it was created with'
            : after === null
              ? 'Record removed: the values it had'
              : `${changedCount} of ${keys.length} field${keys.length === 1 ? '' : 's'} changed (marked)`}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w="22%">
              Field
            </Table.Th>
            <Table.Th scope="col">Before</Table.Th>
            <Table.Th scope="col">After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => {
            const inBefore = before !== null && Object.hasOwn(before, key);
            const inAfter = after !== null && Object.hasOwn(after, key);
            // A created or removed record has no "other side": every field is new, none is highlighted.
            const changed =
              before !== null &&
              after !== null &&
              (inBefore !== inAfter || stable(before[key]) !== stable(after[key]));
            return (
              <Table.Tr key={key} className={changed ? 'diff-changed' : undefined}>
                <Table.Th scope="row" fw={changed ? 700 : 500} style={{ verticalAlign: 'top' }}>
                  <Text size="sm" ff="monospace" fw="inherit" style={{ wordBreak: 'break-word' }}>
                    {key}
                  </Text>
                  {changed ? (
                    <Badge size="xs" color="orange.3" autoContrast variant="filled" mt={4}>
                      Changed
                    </Badge>
                  ) : null}
                </Table.Th>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  {before === null ? (
                    <VisuallyHidden>none</VisuallyHidden>
                  ) : (
                    <ValueText value={before[key]} present={inBefore} />
                  )}
                </Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  {after === null ? (
                    <VisuallyHidden>none</VisuallyHidden>
                  ) : (
                    <ValueText value={after[key]} present={inAfter} />
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
