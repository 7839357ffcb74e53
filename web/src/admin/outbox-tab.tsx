import { Badge, Button, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { countLabel } from '../count-label.ts';
import { DateTimeText } from '../date-time-text.tsx';
import { ExpandableRow, ExpandColumnHeader } from '../expandable-row.tsx';
import { ResourceView } from '../resource-view.tsx';
import { useResource } from '../use-resource.ts';
import { fetchOutboxMessages, LIST_LIMIT, type OutboxMessage } from './admin-api.ts';

const statusFilters = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Waiting' },
  { value: 'held', label: 'Held' },
  { value: 'sent', label: 'Sent' },
  { value: 'failed', label: 'Failed' },
];

const statusColours: Record<string, string> = {
  sent: 'teal',
  held: 'yellow',
  pending: 'blue',
  failed: 'red',
};

function humanise(value: string): string {
  const words = value.replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function MessageDetails({ message }: { message: OutboxMessage }) {
  return (
    <Stack gap="xs">
      {message.heldReason ? (
        <Text size="sm">
          <Text component="span" fw={600} size="sm">
            Held because:{' '}
          </Text>
          {message.heldReason}
        </Text>
      ) : null}
      {message.lastError ? (
        <Text size="sm" c="red.8">
          <Text component="span" fw={600} size="sm">
            Last error:{' '}
          </Text>
          {message.lastError}
        </Text>
      ) : null}
      <Text size="sm" fw={600}>
        Message
      </Text>
      <Text
        size="sm"
        p="sm"
        bg="var(--mantine-color-body)"
        style={{
          whiteSpace: 'pre-wrap',
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 'var(--mantine-radius-sm)',
        }}
      >
        {message.body}
      </Text>
    </Stack>
  );
}

function MessagesTable({ messages }: { messages: OutboxMessage[] }) {
  const [expanded, setExpanded] = useState<string | null>(null);
  const rows = [...messages].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <Table.ScrollContainer minWidth={880}>
      <Table withTableBorder verticalSpacing="sm">
        <Table.Caption>
          {countLabel(rows.length, 'message')}, newest first
          {rows.length >= LIST_LIMIT ? `; only the ${LIST_LIMIT} most recent are listed` : ''}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <ExpandColumnHeader label="Message" />
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Channel</Table.Th>
            <Table.Th scope="col">Recipient</Table.Th>
            <Table.Th scope="col">Subject</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col" ta="right">
              Attempts
            </Table.Th>
            <Table.Th scope="col">Sent</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((message) => {
            const open = expanded === message.id;
            const detailsId = `outbox-message-${message.id}`;
            return (
              <ExpandableRow
                key={message.id}
                open={open}
                onToggle={() => setExpanded(open ? null : message.id)}
                detailsId={detailsId}
                what={`the message to ${message.recipient}`}
                colSpan={7}
                details={<MessageDetails message={message} />}
              >
                <Table.Td>
                  <DateTimeText iso={message.createdAt} withUtc={false} />
                </Table.Td>
                <Table.Td>{humanise(message.channel)}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{message.recipient}</Table.Td>
                <Table.Th scope="row" fw={500}>
                  {message.subject || (
                    <Text component="span" c="dimmed" size="sm">
                      No subject
                    </Text>
                  )}
                </Table.Th>
                <Table.Td>
                  <Badge color={statusColours[message.status] ?? 'gray'} variant="light">
                    {humanise(message.status)}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">{message.attempts}</Table.Td>
                <Table.Td>
                  {message.sentAt ? (
                    <DateTimeText iso={message.sentAt} withUtc={false} />
                  ) : (
                    <Text size="sm" c="dimmed">
                      Not sent
                    </Text>
                  )}
                </Table.Td>
              </ExpandableRow>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Emails, letters and other messages Cellway has sent or is holding back. */
export function OutboxTab() {
  const [status, setStatus] = useState('all');
  const load = useCallback(
    (signal: AbortSignal) => fetchOutboxMessages(status === 'all' ? null : status, signal),
    [status],
  );
  const { state, reload } = useResource(load);
  const filterLabel = statusFilters.find((filter) => filter.value === status)?.label.toLowerCase() ?? status;

  return (
    <>
      <Group justify="space-between" align="flex-end" mb="md" gap="sm">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="outbox-status-label">
            Status
          </Text>
          <SegmentedControl
            aria-labelledby="outbox-status-label"
            data={statusFilters}
            value={status}
            onChange={setStatus}
          />
        </Stack>
        <Button variant="default" onClick={reload}>
          Refresh
        </Button>
      </Group>
      <ResourceView
        state={state}
        reload={reload}
        what="the outbox"
        empty={
          status === 'all'
            ? {
                title: 'The outbox is empty',
                description:
                  'Messages appear here when Cellway sends an email, a letter or a portal notification.',
              }
            : {
                title: `No ${filterLabel} messages`,
                description: 'Choose another status to see other messages.',
              }
        }
      >
        {(messages) => <MessagesTable messages={messages} />}
      </ResourceView>
    </>
  );
}
