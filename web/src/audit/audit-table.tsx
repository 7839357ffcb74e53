import { Button, Code, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { Fragment, useState } from 'react';
import { DateTimeText } from '../date-time-text.tsx';
import { ExpandButton } from '../expand-button.tsx';
import { roleLabel } from '../roles.ts';
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
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <Table.ScrollContainer minWidth={880}>
      <Table withTableBorder verticalSpacing="sm">
        <Table.Caption>
          {entries.length} entr{entries.length === 1 ? 'y' : 'ies'} shown, newest first
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={44}>
              <VisuallyHidden>Details</VisuallyHidden>
            </Table.Th>
            <Table.Th scope="col">Time</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Record</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const open = expanded.has(entry.id);
            const detailsId = `audit-entry-${entry.id}`;
            return (
              <Fragment key={entry.id}>
                <Table.Tr style={{ verticalAlign: 'top' }}>
                  <Table.Td>
                    <ExpandButton
                      expanded={open}
                      onToggle={() => toggle(entry.id)}
                      controls={detailsId}
                      what={`details of ${entry.action} on ${entry.recordType} ${entry.recordId}`}
                    />
                  </Table.Td>
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
                </Table.Tr>
                {open ? (
                  <Table.Tr id={detailsId} bg="var(--mantine-color-gray-0)">
                    <Table.Td />
                    <Table.Td colSpan={5}>
                      <EntryDetails entry={entry} onProof={onProof} onFilter={onFilter} />
                    </Table.Td>
                  </Table.Tr>
                ) : null}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
