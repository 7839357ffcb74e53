import '../custody/custody.css';
import { Button, Group, Table, Text } from '@mantine/core';
import { useCallback } from 'react';
import { Link } from 'react-router-dom';
import { hasAnyPermission } from '../auth/auth-api.ts';
import { useSession } from '../auth/session-context.ts';
import { type CaseSummary, fetchCases } from '../cases/cases-api.ts';
import { countLabel } from '../count-label.ts';
import { bedsidePath, custodyCasePath } from '../custody/custody-paths.ts';
import { PageHeader } from '../page-header.tsx';
import { ResourceView } from '../resource-view.tsx';
import { custodyScreen } from '../screens.ts';
import { CaseStatusBadge } from '../status-badges.tsx';
import { therapyTypeLabel } from '../therapy/therapy-labels.ts';
import { useResource } from '../use-resource.ts';

/** The cases whose custody the caller follows: open one for its chain of identity, hand-offs and bedside check. */
export function CustodyPage() {
  const { me } = useSession();
  const bedside = Boolean(me && hasAnyPermission(me, ['custody:bedside']));
  const load = useCallback((signal: AbortSignal) => fetchCases({}, signal), []);
  const { state, reload } = useResource(load);
  return (
    <>
      <PageHeader title={custodyScreen.title} purpose={custodyScreen.purpose} />
      <section aria-labelledby="custody-cases-heading">
        <h2 id="custody-cases-heading" className="visually-hidden">
          Cases
        </h2>
        <ResourceView state={state} reload={reload} what="the cases" empty={custodyScreen.empty}>
          {(cases: CaseSummary[]) => (
            <Table.ScrollContainer minWidth={640}>
              <Table withTableBorder verticalSpacing="sm">
                <Table.Caption>{countLabel(cases.length, 'case')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Patient or case</Table.Th>
                    <Table.Th scope="col">Therapy</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Current step</Table.Th>
                    <Table.Th scope="col">Custody</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {cases.map((item) => (
                    <Table.Tr key={item.id}>
                      <Table.Th scope="row" fw={500}>
                        {item.patientLabel}
                        <Text size="xs" c="dimmed">
                          {item.treatmentCentre.name}
                        </Text>
                      </Table.Th>
                      <Table.Td>{therapyTypeLabel(item.therapyType)}</Table.Td>
                      <Table.Td>
                        <CaseStatusBadge status={item.status} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{item.currentSteps.map((s) => s.title).join(', ') || '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="wrap">
                          <Button
                            component={Link}
                            to={custodyCasePath(item.id)}
                            size="sm"
                            variant="light"
                            aria-label={`Custody of ${item.patientLabel}`}
                          >
                            Custody
                          </Button>
                          {bedside ? (
                            <Button
                              component={Link}
                              to={bedsidePath(item.id)}
                              size="sm"
                              variant="default"
                              aria-label={`Bedside verification for ${item.patientLabel}`}
                            >
                              Bedside
                            </Button>
                          ) : null}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </ResourceView>
      </section>
    </>
  );
}
