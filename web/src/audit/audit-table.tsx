import { Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { countLabel } from '../count-label.ts';
import { DateTimeText } from '../date-time-text.tsx';
import { ExpandableRow, ExpandColumnHeader } from '../expandable-row.tsx';
import { roleLabel } from '../roles.ts';
import { useToggleSet } from '../use-toggle-set.ts';
import type { AuditEntry, AuditFilters } from './audit-api.ts';
import { RecordDiff } from './record-diff.tsx';

interface AuditTableProps {
  entries: AuditEntry[];
  onProof: (entry: AuditEntry) => void;
  onFilter: (filters: AuditFilters) => void;
}

function actorLabel(entry: AuditEntry): string {
  if (entry.actorName) return entry.actorName;
  if (entry.actorType === 'system') return 'Cellway (system)';
  if (entry.actorType === 'user') return 'User';
  return entry.actorType.replace(/_/g, ' ');
}

/** The actor's ID under their name, when it adds something (a user the server did not name, an API client…). */
function ActorId({ entry }: { entry: AuditEntry }) {
  if (!entry.actorId || (entry.actorName && entry.actorType === 'user')) return null;
  return (
    <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
      {entry.actorId}
    </Text>
  );
}

function EntryDetails({
  entry,
  onProof,
  onFilter,
}: { entry: AuditEntry } & Omit<AuditTableProps, 'entries'>) {
  return (
    <Stack gap="md" py="xs">
      <div>
        <Text size="sm" fw={600}>
          Reason
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {entry.reason || (
            <Text component="span" c="dimmed" size="sm">
              No reason recorded
            </Text>
          )}
        </Text>
      </div>
      <RecordDiff before={entry.before} after={entry.after} />
      <Text size="xs" c="dimmed">
        Ledger stream <Code fz="xs">{entry.stream}</Code>, entry {entry.seq}, hash{' '}
        <Code fz="xs" style={{ wordBreak: 'break-all' }}>
          {entry.hash}
        </Code>
      </Text>
      <Group gap="sm">
        <Button size="xs" variant="default" onClick={() => onProof(entry)}>
          Proof
        </Button>
        <Button
          size="xs"
          variant="subtle"
          onClick={() => onFilter({ recordType: entry.recordType, recordId: entry.recordId })}
        >
          Every change to this record
        </Button>
        {entry.actorId ? (
          <Button
            size="xs"
            variant="subtle"
            onClick={() => onFilter({ actorId: entry.actorId ?? undefined })}
          >
            Every change by {entry.actorName ?? 'this actor'}
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}

/** Audit entries, newest first; open one to see what changed and why. */
export function AuditTable({ entries, onProof, onFilter }: AuditTableProps) {
  const { isOpen, toggle } = useToggleSet();

  return (
    <Table.ScrollContainer minWidth={880}>
      <Table withTableBorder verticalSpacing="sm">
        <Table.Caption>{countLabel(entries.length, 'entry', 'entries')} shown, newest first</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <ExpandColumnHeader label="Details" />
            <Table.Th scope="col">Time</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Record</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const open = isOpen(entry.id);
            const detailsId = `audit-entry-${entry.id}`;
            return (
              <ExpandableRow
                key={entry.id}
                open={open}
                onToggle={() => toggle(entry.id)}
                detailsId={detailsId}
                what={`details of ${entry.action} on ${entry.recordType} ${entry.recordId}`}
                colSpan={5}
                details={<EntryDetails entry={entry} onProof={onProof} onFilter={onFilter} />}
                style={{ verticalAlign: 'top' }}
              >
                <Table.Td>
                  <DateTimeText iso={entry.recordedAt} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {actorLabel(entry)}
                  </Text>
                  <ActorId entry={entry} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{entry.actorRole ? roleLabel(entry.actorRole) : '—'}</Text>
                </Table.Td>
                <Table.Th scope="row" fw={500}>
                  <Code fz="sm">{entry.action}</Code>
                </Table.Th>
                <Table.Td>
                  <Text size="sm">{entry.recordType}</Text>
                  <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {entry.recordId}
                  </Text>
                </Table.Td>
              </ExpandableRow>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
