import { Badge, Button, Group, List, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { DateTimeText } from '../date-time-text.tsx';
import { dueLabel, sinceLabel } from '../elapsed.ts';
import { CheckIcon } from '../icons.tsx';
import { partnerTypeLabel } from '../partner-types.ts';
import { roleLabel } from '../roles.ts';
import { SignatureDialog } from '../signatures/signature-dialog.tsx';
import { fetchSignatures } from '../signatures/signatures-api.ts';
import { OverdueBadge } from '../status-badges.tsx';
import { type CaseDetail, type OpenStep, signStep } from './cases-api.ts';
import { StepSignatures, useStepSignatures } from './step-signatures.tsx';

interface OpenStepCardProps {
  step: OpenStep;
  /** The roles of the person looking: they may complete the tasks of these roles. */
  myRoles: readonly string[];
  /** Whether the case takes work now (it is active). */
  accepting: boolean;
  onComplete: (taskKey: string) => void;
  /** The case the step belongs to: with it, the step's signatures show and can be given here. */
  caseId?: string;
  /** The case after the signer signed this step. */
  onSigned?: (detail: CaseDetail) => void;
  /** The person looking: someone who signed this version of the step cannot sign it again. */
  myUserId?: string;
}

function responsibleText(step: OpenStep): string {
  const { responsible } = step;
  const who = responsible.partnerName ?? partnerTypeLabel(responsible.partnerType);
  return `${who} · ${roleLabel(responsible.role)}`;
}

/** One open step: who does it, when it is due, and everything it still waits for. */
export function OpenStepCard({
  step,
  myRoles,
  accepting,
  onComplete,
  caseId,
  onSigned,
  myUserId,
}: OpenStepCardProps) {
  const waiting = step.waitingFor;
  // What is being signed is fixed when the dialog opens: the step may move on while it is open.
  const [signing, setSigning] = useState<{ meaning: string; recordHash: string } | null>(null);
  const signatureGate = waiting.signatures;
  const signatures = useStepSignatures(caseId, step.key, signatureGate?.given ?? 0);
  const signedByMe = signatures.some(
    (signature) => signature.signerUserId === myUserId && signature.recordHash === signatureGate?.recordHash,
  );
  const canSign =
    !signedByMe &&
    caseId !== undefined &&
    accepting &&
    signatureGate?.recordHash !== undefined &&
    signatureGate.meaning !== undefined &&
    (signatureGate.nextRoles ?? []).some((role) => myRoles.includes(role));
  const headingId = `open-step-${step.key}`;
  const open = waiting.tasks.filter((task) => !task.done);
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="article"
      aria-labelledby={headingId}
      className={step.overdue ? 'row-overdue' : undefined}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm">
          <div>
            <Text component="h3" id={headingId} fw={650} m={0}>
              {step.title}
              {step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}
            </Text>
            <Text size="sm" c="dimmed">
              {step.stage.replace(/_/g, ' ')} · {responsibleText(step)}
            </Text>
          </div>
          <Group gap="xs">
            {step.overdue ? <OverdueBadge /> : null}
            {step.dueAt ? (
              <Text size="sm" c={step.overdue ? 'red.9' : undefined} fw={step.overdue ? 600 : 400}>
                {dueLabel(step.dueAt)}
              </Text>
            ) : null}
          </Group>
        </Group>
        <Group gap="xl" align="flex-start">
          <div>
            <Text size="xs" c="dimmed">
              Open for {sinceLabel(step.openedAt)}, since
            </Text>
            <DateTimeText iso={step.openedAt} withUtc={false} />
          </div>
          {step.dueAt ? (
            <div>
              <Text size="xs" c="dimmed">
                Due
              </Text>
              <DateTimeText iso={step.dueAt} withUtc={false} />
            </div>
          ) : null}
        </Group>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Waits for
          </Text>
          <List spacing={6} size="sm" listStyleType="none" ml={0} pl={0}>
            {waiting.tasks.map((task) => {
              const mine = myRoles.includes(task.role);
              return (
                <List.Item key={task.key}>
                  <Group gap="sm" wrap="wrap">
                    {task.done ? (
                      <Badge color="teal" variant="light" leftSection={<CheckIcon size={12} />}>
                        Done
                      </Badge>
                    ) : (
                      <Badge color="gray" variant="outline">
                        To do
                      </Badge>
                    )}
                    <Text
                      size="sm"
                      td={task.done ? 'line-through' : undefined}
                      c={task.done ? 'dimmed' : undefined}
                    >
                      {task.title}
                    </Text>
                    <Text size="xs" c="dimmed">
                      by {roleLabel(task.role)}
                    </Text>
                    {!task.done && accepting && mine ? (
                      <Button
                        size="sm"
                        onClick={() => onComplete(task.key)}
                        aria-label={`Complete “${task.title}”`}
                      >
                        Complete
                      </Button>
                    ) : null}
                  </Group>
                </List.Item>
              );
            })}
            {waiting.approvals.map((approval) => (
              <List.Item key={`approval-${approval.role}`}>
                <Text size="sm">
                  <Badge color="indigo" variant="light" mr={8}>
                    Approval
                  </Badge>
                  {approval.needed !== undefined
                    ? `${approval.given ?? 0} of ${approval.needed} by ${roleLabel(approval.role)}`
                    : `by ${roleLabel(approval.role)}`}
                </Text>
              </List.Item>
            ))}
            {waiting.signatures && waiting.signatures.required > 0 ? (
              <List.Item>
                <Text size="sm">
                  <Badge color="grape" variant="light" mr={8}>
                    Signatures
                  </Badge>
                  {waiting.signatures.given} of {waiting.signatures.required} given
                  {waiting.signatures.meaning ? ` — “${waiting.signatures.meaning}”` : ''}
                </Text>
                {canSign ? (
                  <Button
                    size="sm"
                    mt={6}
                    onClick={() =>
                      setSigning({
                        meaning: signatureGate?.meaning ?? '',
                        recordHash: signatureGate?.recordHash ?? '',
                      })
                    }
                    aria-label={`Sign “${step.title}”`}
                  >
                    Sign
                  </Button>
                ) : null}
                <StepSignatures signatures={signatures} />
              </List.Item>
            ) : null}
            {waiting.custody ? (
              <List.Item>
                <Text size="sm">
                  <Badge color="cyan" variant="light" mr={8}>
                    Custody
                  </Badge>
                  The hand-off must be confirmed
                </Text>
              </List.Item>
            ) : null}
          </List>
          {open.length === 0 &&
          waiting.approvals.length === 0 &&
          !waiting.custody &&
          !(waiting.signatures && waiting.signatures.given < waiting.signatures.required) ? (
            <Text size="sm" c="dimmed">
              Nothing more: the step can be completed by {roleLabel(step.responsible.role)}.
            </Text>
          ) : null}
        </div>
      </Stack>
      {signing && caseId ? (
        <SignatureDialog
          opened
          onClose={() => setSigning(null)}
          meaning={signing.meaning}
          recordSummary={
            <Text size="sm">
              {step.title}
              {step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}: every value recorded on this step
              (record{' '}
              <Text span ff="monospace" size="xs">
                {signing.recordHash.slice(0, 12)}…
              </Text>
              )
            </Text>
          }
          sign={async (credentials) => {
            const detail = await signStep(caseId, step.key, signing.meaning, signing.recordHash, credentials);
            const given = await fetchSignatures('case_step', `${caseId}:${step.key}`);
            const mine = given.filter((s) => s.recordHash === signing.recordHash).at(-1);
            onSigned?.(detail);
            if (!mine) throw new Error('The signature was recorded but could not be read back.');
            return mine;
          }}
        />
      ) : null}
    </Paper>
  );
}
