import {
  Alert,
  Anchor,
  Code,
  DataList,
  Group,
  Modal,
  ScrollArea,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import { useCallback } from 'react';
import { CopyTextButton } from '../copy-text-button.tsx';
import { formatUtc } from '../date-time.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { useResource } from '../use-resource.ts';
import { type AuditEntry, fetchInclusionProof, type InclusionProof } from './audit-api.ts';

function ProofSummary({ proof }: { proof: InclusionProof }) {
  return (
    <DataList labelWidth="9rem" size="sm">
      <DataList.Item>
        <DataList.ItemLabel>Leaf</DataList.ItemLabel>
        <DataList.ItemValue>
          {proof.leafIndex} of a tree of {proof.checkpoint.treeSize}
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Checkpoint</DataList.ItemLabel>
        <DataList.ItemValue>
          {formatUtc(proof.checkpoint.issuedAt)} by {proof.checkpoint.origin}
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Root hash</DataList.ItemLabel>
        <DataList.ItemValue>
          <Code style={{ wordBreak: 'break-all' }}>{proof.checkpoint.rootHash}</Code>
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Signing key</DataList.ItemLabel>
        <DataList.ItemValue>
          <Code>{proof.checkpoint.keyId}</Code>
        </DataList.ItemValue>
      </DataList.Item>
    </DataList>
  );
}

function ProofBody({ entry }: { entry: AuditEntry }) {
  const load = useCallback((signal: AbortSignal) => fetchInclusionProof(entry.id, signal), [entry.id]);
  const { state, reload } = useResource(load);

  if (state.status === 'loading') {
    return (
      <Stack gap="xs" aria-busy="true" aria-label="Loading the proof">
        <Skeleton height={20} width="60%" />
        <Skeleton height={160} />
      </Stack>
    );
  }
  if (state.status === 'error') {
    if (state.problem.status === 404) {
      return (
        <Alert color="blue" variant="light" title="Not in a checkpoint yet">
          <Text size="sm">
            {state.problem.detail ??
              'This entry is recorded, but the ledger has not issued a signed checkpoint that includes it yet.'}
          </Text>
          <Text size="sm" mt={4}>
            Wait for the next checkpoint, then{' '}
            <Anchor component="button" type="button" size="sm" onClick={reload}>
              try again
            </Anchor>
            .
          </Text>
        </Alert>
      );
    }
    return <ProblemAlert problem={state.problem} action="load the proof" />;
  }
  const json = JSON.stringify(state.data, null, 2);
  return (
    <Stack gap="md">
      <Text size="sm">
        This entry is leaf {state.data.leafIndex} of the ledger's Merkle tree, whose root the checkpoint
        signs. Anyone can check the proof offline against the checkpoint and Cellway's public key.
      </Text>
      <ProofSummary proof={state.data} />
      <Group justify="space-between" align="center">
        <Text size="sm" fw={600} id="proof-json-label">
          Inclusion proof (JSON)
        </Text>
        <CopyTextButton value={json} what="proof" />
      </Group>
      <ScrollArea.Autosize mah={320} type="auto">
        <Code block fz="xs" aria-labelledby="proof-json-label">
          {json}
        </Code>
      </ScrollArea.Autosize>
    </Stack>
  );
}

/** The inclusion proof of one audit entry in a signed checkpoint of the ledger. */
export function ProofModal({ entry, onClose }: { entry: AuditEntry | null; onClose: () => void }) {
  return (
    <Modal opened={entry !== null} onClose={onClose} title="Ledger inclusion proof" centered size="xl">
      {entry ? <ProofBody entry={entry} /> : null}
    </Modal>
  );
}
