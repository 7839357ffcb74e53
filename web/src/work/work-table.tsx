import { Button, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { casePath } from '../cases/cases-table.tsx';
import { countLabel } from '../count-label.ts';
import { DateTimeText } from '../date-time-text.tsx';
import { dueLabel } from '../elapsed.ts';
import { OverdueBadge } from '../status-badges.tsx';
import { therapyTypeLabel } from '../therapy/therapy-labels.ts';
import type { WorkTask } from './work-api.ts';

interface WorkTableProps {
  tasks: WorkTask[];
  myUserId: string | null;
  claiming: string | null;
  onClaim: (task: WorkTask) => void;
}

export function workTaskId(task: WorkTask): string {
  return `${task.caseId}/${task.step}/${task.taskKey}`;
}

/** The caller's tasks, soonest due first; overdue rows are marked red and say so. */
export function WorkTable({ tasks, myUserId, claiming, onClaim }: WorkTableProps) {
  const overdue = tasks.filter((task) => task.overdue).length;
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table withTableBorder verticalSpacing="sm">
        <Table.Caption>
          {countLabel(tasks.length, 'task')}, soonest due first{overdue > 0 ? `; ${overdue} overdue` : ''}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Task</Table.Th>
            <Table.Th scope="col">Patient</Table.Th>
            <Table.Th scope="col">Due</Table.Th>
            <Table.Th scope="col">Claimed by</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => {
            const id = workTaskId(task);
            const mine = task.claimedBy?.userId === myUserId;
            return (
              <Table.Tr
                key={id}
                className={task.overdue ? 'row-overdue' : undefined}
                style={{ verticalAlign: 'top' }}
              >
                <Table.Th scope="row" fw={500}>
                  <Text size="sm" fw={600}>
                    {task.taskTitle}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {task.stepTitle}
                  </Text>
                </Table.Th>
                <Table.Td>
                  <Text size="sm">{task.patientLabel}</Text>
                  <Text size="xs" c="dimmed">
                    {therapyTypeLabel(task.therapyType)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {task.dueAt ? (
                    <>
                      <Group gap={6}>
                        {task.overdue ? <OverdueBadge /> : null}
                        <Text size="sm" fw={task.overdue ? 600 : 400} c={task.overdue ? 'red.9' : undefined}>
                          {dueLabel(task.dueAt)}
                        </Text>
                      </Group>
                      <DateTimeText iso={task.dueAt} withUtc={false} />
                    </>
                  ) : (
                    <Text size="sm" c="dimmed">
                      No due time
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={task.claimedBy ? undefined : 'dimmed'}>
                    {task.claimedBy ? (mine ? 'You' : task.claimedBy.name) : 'Nobody yet'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {task.claimedBy ? null : (
                      <Button
                        size="sm"
                        variant="default"
                        loading={claiming === id}
                        onClick={() => onClaim(task)}
                        aria-label={`Claim “${task.taskTitle}” for ${task.patientLabel}`}
                      >
                        Claim
                      </Button>
                    )}
                    <Button
                      size="sm"
                      component={Link}
                      to={casePath(task.caseId)}
                      aria-label={`Open the case of ${task.patientLabel}`}
                    >
                      Open case
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
