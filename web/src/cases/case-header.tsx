import { Alert, Group, Paper, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { minutesLabel } from '../elapsed.ts';
import { roleLabel } from '../roles.ts';
import { CaseStatusBadge } from '../status-badges.tsx';
import { templatePath } from '../therapy/template-table.tsx';
import { therapyTypeLabel } from '../therapy/therapy-labels.ts';
import type { CaseDetail } from './cases-api.ts';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} component="div">
        {children}
      </Text>
    </div>
  );
}

/** The case at a glance, and where it is stuck: who holds it and for how long. */
export function CaseHeader({ detail }: { detail: CaseDetail }) {
  const { case: item, heldBy } = detail;
  const overdue = detail.openSteps.some((step) => step.overdue);
  return (
    <>
      <Paper withBorder radius="md" p="md" mb="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
          <Fact label="Status">
            <CaseStatusBadge status={item.status} size="lg" />
          </Fact>
          <Fact label="Therapy">
            {therapyTypeLabel(item.therapyType)}{' '}
            <Text span size="xs" c="dimmed">
              (
              <Link to={templatePath(item.templateCode, item.templateVersion)}>
                {item.templateCode} v{item.templateVersion}
              </Link>
              )
            </Text>
          </Fact>
          <Fact label="Treatment centre">{item.treatmentCentre.name}</Fact>
          <Fact label="Case">
            <Text span size="sm" ff="monospace">
              {item.id}
            </Text>
          </Fact>
        </SimpleGrid>
      </Paper>
      <Alert
        color={overdue ? 'red' : heldBy ? 'yellow' : 'gray'}
        variant="light"
        mb="lg"
        title="Where is it now"
        role="status"
      >
        {heldBy ? (
          <Group gap={6}>
            <Text size="md">
              With <strong>{heldBy.partnerName}</strong> ({roleLabel(heldBy.role)}) for{' '}
              <strong>{minutesLabel(heldBy.waitingMinutes)}</strong>
              {item.waitingFor ? `, waiting for ${item.waitingFor}` : ''}.
              {overdue ? ' A step is overdue.' : ''}
            </Text>
          </Group>
        ) : (
          <Text size="md">
            Nobody holds the case: it has no open step ({item.status.replace(/_/g, ' ')}).
          </Text>
        )}
      </Alert>
    </>
  );
}
