import { Badge, Box, Button, Code, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { countLabel } from '../count-label.ts';
import { DateTimeText } from '../date-time-text.tsx';
import { ProblemAlert } from '../problem-alert.tsx';
import { ResourceView } from '../resource-view.tsx';
import { useResource } from '../use-resource.ts';
import { type ApiClient, fetchApiClients, revokeApiClient, rotateApiClientSecret } from './admin-api.ts';
import { CreateApiClientModal } from './create-api-client-modal.tsx';
import { DoneNotice } from './done-notice.tsx';
import { usePartnerList } from './partner-select.tsx';
import { ReasonModal } from './reason-modal.tsx';
import { SecretOnce } from './secret-once.tsx';
import { TabIntro } from './tab-intro.tsx';

interface ClientsTableProps {
  clients: ApiClient[];
  onRotate: (client: ApiClient) => void;
  onRevoke: (client: ApiClient) => void;
}

function ClientsTable({ clients, onRotate, onRevoke }: ClientsTableProps) {
  const rows = [...clients].sort(
    (a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || a.name.localeCompare(b.name),
  );
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table withTableBorder highlightOnHover verticalSpacing="sm">
        <Table.Caption>{countLabel(rows.length, 'API client')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Partner</Table.Th>
            <Table.Th scope="col">Scopes</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Secret</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col" ta="right">
              Actions
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((client) => (
            <Table.Tr key={client.id} c={client.revokedAt ? 'dimmed' : undefined}>
              <Table.Th scope="row" fw={500}>
                {client.name}
                <Text size="xs" c="dimmed" fw={400} ff="monospace">
                  {client.clientId}
                </Text>
              </Table.Th>
              <Table.Td>{client.partner.name}</Table.Td>
              <Table.Td>
                <Group gap={4} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
                  {client.scopes.map((scope) => (
                    <Code key={scope} component="li" fz="xs">
                      {scope}
                    </Code>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <DateTimeText iso={client.createdAt} withUtc={false} />
              </Table.Td>
              <Table.Td>
                {client.secretRotatedAt ? (
                  <>
                    <Text size="xs" c="dimmed">
                      Rotated
                    </Text>
                    <DateTimeText iso={client.secretRotatedAt} withUtc={false} />
                  </>
                ) : (
                  <Text size="sm">Original</Text>
                )}
              </Table.Td>
              <Table.Td>
                {client.revokedAt ? (
                  <>
                    <Badge color="gray" variant="light">
                      Revoked
                    </Badge>
                    <Box mt={2}>
                      <DateTimeText iso={client.revokedAt} withUtc={false} />
                    </Box>
                  </>
                ) : (
                  <Badge color="teal" variant="light">
                    Active
                  </Badge>
                )}
              </Table.Td>
              <Table.Td ta="right">
                {client.revokedAt ? null : (
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button
                      variant="default"
                      size="xs"
                      onClick={() => onRotate(client)}
                      aria-label={`Rotate the secret of ${client.name}`}
                    >
                      Rotate secret
                    </Button>
                    <Button
                      variant="default"
                      color="red"
                      size="xs"
                      onClick={() => onRevoke(client)}
                      aria-label={`Revoke ${client.name}`}
                    >
                      Revoke
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RotateModal({
  client,
  onClose,
  onRotated,
}: {
  client: ApiClient;
  onClose: () => void;
  onRotated: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const rotate = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setSecret((await rotateApiClientSecret(client.id)).clientSecret);
      onRotated();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Rotate the secret of ${client.name}`} centered size="lg">
      <Stack gap="md">
        {secret ? (
          <SecretOnce
            label="New client secret"
            value={secret}
            instructions="Put it in the calling system's secret store now; the previous secret no longer works."
          />
        ) : (
          <>
            <Text size="sm">
              Cellway issues a new secret. The current secret, and every access token issued with it, stop
              working at once: the system using this client fails until it is given the new secret.
            </Text>
            {problem ? <ProblemAlert problem={problem} action="rotate the secret" /> : null}
          </>
        )}
        <Group justify="flex-end" gap="sm">
          {secret ? (
            <Button onClick={onClose}>Done</Button>
          ) : (
            <>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button loading={busy} onClick={() => void rotate()}>
                Rotate secret
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

/** Systems of partners that call the Cellway API, each with its own secret and scopes. */
export function ApiClientsTab() {
  const { state, reload } = useResource(fetchApiClients);
  const partners = usePartnerList();
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<ApiClient | null>(null);
  const [revoking, setRevoking] = useState<ApiClient | null>(null);
  const [done, setDone] = useState<string | null>(null);

  return (
    <>
      <TabIntro action={<Button onClick={() => setCreating(true)}>Create API client</Button>}>
        Laboratory systems, hospital EHRs and courier tracking call the API as a client of their partner, and
        see only that partner's work.
      </TabIntro>
      <DoneNotice message={done} onClose={() => setDone(null)} />
      <ResourceView
        state={state}
        reload={reload}
        what="the API clients"
        empty={{
          title: 'No API clients yet',
          description:
            'Create one when a partner connects a system such as a LIMS, an EHR or courier tracking.',
        }}
      >
        {(clients) => <ClientsTable clients={clients} onRotate={setRotating} onRevoke={setRevoking} />}
      </ResourceView>
      <CreateApiClientModal
        opened={creating}
        partners={partners}
        onClose={() => setCreating(false)}
        onCreated={reload}
      />
      {rotating ? (
        <RotateModal client={rotating} onClose={() => setRotating(null)} onRotated={reload} />
      ) : null}
      <ReasonModal
        opened={revoking !== null}
        title={`Revoke ${revoking?.name ?? 'the client'}?`}
        confirmLabel="Revoke client"
        action="revoke the client"
        danger
        onClose={() => setRevoking(null)}
        onConfirm={async (reason) => {
          if (!revoking) return;
          await revokeApiClient(revoking.id, reason);
          setDone(`${revoking.name} was revoked; its secret no longer works.`);
          setRevoking(null);
          reload();
        }}
      >
        <Text size="sm">
          The client can no longer call Cellway, and this cannot be undone: to connect the system again,
          create a new client.
        </Text>
      </ReasonModal>
    </>
  );
}
