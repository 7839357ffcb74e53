import { Anchor, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { countLabel } from '../count-label.ts';
import { dueLabel } from '../elapsed.ts';
import { CaseStatusBadge, OverdueBadge } from '../status-badges.tsx';
import { therapyTypeLabel } from '../therapy/therapy-labels.ts';
import type { CaseSummary, CurrentStep } from './cases-api.ts';

export function casePath(id: string): string {
  return `/cases/${encodeURIComponent(id)}`;
}

function StepLine({ step }: { step: CurrentStep }) {
  return (
    <div>
      <Group gap={6} wrap="nowrap" align="center">
        <Text size="sm" fw={step.overdue ? 600 : 400} c={step.overdue ? 'red.9' : undefined}>
          {step.title}
        </Text>
        {step.overdue ? <OverdueBadge /> : null}
      </Group>
      {step.dueAt ? (
        <Text size="xs" c={step.overdue ? 'red.9' : 'dimmed'}>
          {dueLabel(step.dueAt)}
        </Text>
      ) : null}
    </div>
  );
}

/** The cases, one a row; a row with an overdue step is marked red and says "Overdue". */
export function CasesTable({ cases }: { cases: CaseSummary[] }) {
  const overdue = cases.filter((c) => c.currentSteps.some((s) => s.overdue)).length;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table withTableBorder verticalSpacing="sm">
        <Table.Caption>
          {countLabel(cases.length, 'case')}
          {overdue > 0 ? `, ${overdue} with an overdue step` : ''}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Patient</Table.Th>
            <Table.Th scope="col">Therapy</Table.Th>
            <Table.Th scope="col">Treatment centre</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Current steps</Table.Th>
            <Table.Th scope="col">Waiting for</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cases.map((item) => {
            const late = item.currentSteps.some((step) => step.overdue);
            return (
              <Table.Tr
                key={item.id}
                className={late ? 'row-overdue' : undefined}
                style={{ verticalAlign: 'top' }}
              >
                <Table.Th scope="row" fw={500}>
                  <Anchor component={Link} to={casePath(item.id)} size="sm" fw={600}>
                    {item.patientLabel}
                  </Anchor>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {item.id}
                  </Text>
                </Table.Th>
                <Table.Td>
                  <Text size="sm">{therapyTypeLabel(item.therapyType)}</Text>
                  <Text size="xs" c="dimmed">
                    {item.templateCode} v{item.templateVersion}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{item.treatmentCentre.name}</Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <CaseStatusBadge status={item.status} />
                </Table.Td>
                <Table.Td>
                  {item.currentSteps.length > 0 ? (
                    <Stack gap={6}>
                      {item.currentSteps.map((step) => (
                        <StepLine key={step.key} step={step} />
                      ))}
                    </Stack>
                  ) : (
                    <Text size="sm" c="dimmed">
                      No open step
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{item.waitingFor ?? '—'}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
