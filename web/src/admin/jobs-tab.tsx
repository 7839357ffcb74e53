import { Badge, Button, Code, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { countLabel } from '../count-label.ts';
import { DateTimeText } from '../date-time-text.tsx';
import { ResourceView } from '../resource-view.tsx';
import { useResource } from '../use-resource.ts';
import { fetchDeadJobs, type Job, LIST_LIMIT, retryJob } from './admin-api.ts';
import { DoneNotice } from './done-notice.tsx';
import { ReasonModal } from './reason-modal.tsx';
import { TabIntro } from './tab-intro.tsx';

function JobsTable({ jobs, onRetry }: { jobs: Job[]; onRetry: (job: Job) => void }) {
  const rows = [...jobs].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table withTableBorder verticalSpacing="sm">
        <Table.Caption>
          {countLabel(rows.length, 'failed job')}, most recent first
          {rows.length >= LIST_LIMIT ? `; only the ${LIST_LIMIT} most recent are listed` : ''}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Job</Table.Th>
            <Table.Th scope="col">Attempts</Table.Th>
            <Table.Th scope="col">Last error</Table.Th>
            <Table.Th scope="col">Due</Table.Th>
            <Table.Th scope="col">Last attempt</Table.Th>
            <Table.Th scope="col" ta="right">
              Actions
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((job) => (
            <Table.Tr key={job.id} style={{ verticalAlign: 'top' }}>
              <Table.Th scope="row" fw={500}>
                <Code>{job.kind}</Code>
                <Text size="xs" c="dimmed" fw={400} ff="monospace" mt={4}>
                  {job.id}
                </Text>
              </Table.Th>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Badge color="red" variant="light">
                  {job.attempts} of {job.maxAttempts}
                </Badge>
              </Table.Td>
              <Table.Td maw={380}>
                <Text
                  size="sm"
                  ff="monospace"
                  style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
                  lineClamp={6}
                >
                  {job.lastError ?? 'No error recorded'}
                </Text>
              </Table.Td>
              <Table.Td>
                <DateTimeText iso={job.runAt} />
              </Table.Td>
              <Table.Td>
                <DateTimeText iso={job.updatedAt} />
              </Table.Td>
              <Table.Td ta="right">
                <Button
                  variant="default"
                  size="xs"
                  onClick={() => onRetry(job)}
                  aria-label={`Retry ${job.kind} job ${job.id}`}
                >
                  Retry
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Jobs that failed every attempt (the dead-letter list): see why, and run them again. */
export function JobsTab() {
  const { state, reload } = useResource(fetchDeadJobs);
  const [retrying, setRetrying] = useState<Job | null>(null);
  const [done, setDone] = useState<string | null>(null);

  return (
    <>
      <TabIntro
        maw={680}
        action={
          <Button variant="default" onClick={reload}>
            Refresh
          </Button>
        }
      >
        Background work — reminders, escalations, messages, partner webhooks — is retried automatically. A job
        that fails every attempt stops here until someone fixes the cause and retries it.
      </TabIntro>
      <DoneNotice message={done} onClose={() => setDone(null)} />
      <ResourceView
        state={state}
        reload={reload}
        what="the failed jobs"
        empty={{
          title: 'No failed jobs',
          description:
            'Every background job has succeeded or is still being retried. Jobs that fail every attempt appear here.',
        }}
      >
        {(jobs) => <JobsTable jobs={jobs} onRetry={setRetrying} />}
      </ResourceView>
      <ReasonModal
        opened={retrying !== null}
        title={`Retry the ${retrying?.kind ?? ''} job?`}
        confirmLabel="Retry job"
        action="retry the job"
        onClose={() => setRetrying(null)}
        onConfirm={async (reason) => {
          if (!retrying) return;
          const job = await retryJob(retrying.id, reason);
          setDone(`The ${job.kind} job is queued again (status: ${job.status}).`);
          setRetrying(null);
          reload();
        }}
      >
        <Text size="sm">
          The job runs again as soon as a worker is free. Retry once the cause of the last error is fixed, or
          it will fail again.
        </Text>
        {retrying?.lastError ? (
          <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', maxHeight: 160, overflow: 'auto' }}>
            {retrying.lastError}
          </Code>
        ) : null}
      </ReasonModal>
    </>
  );
}
