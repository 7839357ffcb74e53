import '../custody/custody.css';
import { Alert, Button, Group, List, Paper, Stack, Text } from '@mantine/core';
import { type ReactNode, type Ref, useCallback, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { hasAnyPermission } from '../auth/auth-api.ts';
import { useSession } from '../auth/session-context.ts';
import { BackLink } from '../back-link.tsx';
import { ConditionForm } from '../custody/condition-form.tsx';
import { ConditionView } from '../custody/condition-view.tsx';
import {
  completeHandoff,
  fetchHandoff,
  type Handoff,
  recordCondition,
  recordScan,
  signHandoff,
} from '../custody/custody-api.ts';
import { displayIsbt, itemTypeLabel, withRoleLabels } from '../custody/custody-labels.ts';
import { custodyCasePath, custodyPath } from '../custody/custody-paths.ts';
import { HandoffStatusBadge } from '../custody/handoff-card.tsx';
import { HandoffSignatureList } from '../custody/handoff-signature-list.tsx';
import { partnerName, useNetworkPartners } from '../custody/partner-names.ts';
import { ScanField } from '../custody/scan-field.tsx';
import { ScanResults } from '../custody/scan-results.tsx';
import { PageHeader } from '../page-header.tsx';
import { ProblemAlert } from '../problem-alert.tsx';
import { LoadFailed, LoadingRows } from '../resource-view.tsx';
import { roleLabel } from '../roles.ts';
import { SignatureDialog } from '../signatures/signature-dialog.tsx';
import { humanise } from '../therapy/therapy-labels.ts';
import { useResource } from '../use-resource.ts';

function Panel({
  id,
  title,
  children,
  headingRef,
}: {
  id: string;
  title: string;
  children: ReactNode;
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id}>
      <Text component="h2" id={id} fz="h4" fw={650} mb="sm" ref={headingRef} tabIndex={-1}>
        {title}
      </Text>
      {children}
    </Paper>
  );
}

/** Changes when the recorded condition does, so the form starts afresh after a save but not after a scan. */
function conditionKey(handoff: Handoff): string {
  const c = handoff.condition;
  return [c?.count, c?.first, c?.last, c?.fileSha256, handoff.shipper?.code, handoff.sealIntact].join('|');
}

/**
 * The hand-off screen, made for a tablet at the loading dock or the ward: scan every unit, record
 * the condition, sign, complete. Completing stays disabled, with the reasons, until all is in order.
 */
export function HandoffPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const partners = useNetworkPartners();
  const load = useCallback((signal: AbortSignal) => fetchHandoff(id, signal), [id]);
  const { state, reload } = useResource(load);
  const [updated, setUpdated] = useState<Handoff | null>(null);
  const [signing, setSigning] = useState(false);
  const [completing, setCompleting] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const signaturesHeading = useRef<HTMLHeadingElement>(null);

  const back = <BackLink to={custodyPath} label="Custody & identity" />;
  if (state.status === 'loading')
    return (
      <>
        {back}
        <LoadingRows label="Loading the hand-off" height={80} />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        {back}
        <PageHeader title="Hand-off" purpose="Scan, record the condition, sign and complete a hand-off." />
        <LoadFailed problem={state.problem} action="load the hand-off" onRetry={reload} />
      </>
    );

  const handoff = updated && updated.id === state.data.id ? updated : state.data;
  const from = partnerName(partners, handoff.from.partnerId);
  const to = partnerName(partners, handoff.to.partnerId);
  const draft = handoff.status === 'draft';
  const party =
    me !== null && (me.partner.id === handoff.from.partnerId || me.partner.id === handoff.to.partnerId);
  const mayWork = draft && party && me !== null && hasAnyPermission(me, ['custody:handoff']);
  const beforeSigning = handoff.blockers.filter((b) => b.what !== 'signatures' && b.what !== 'status');
  const alreadySigned = handoff.signatures.some((s) => s.valid && s.signerName === me?.displayName);
  const myTurn =
    me !== null && handoff.nextSignerRoles.some((role) => me.roles.includes(role)) && !alreadySigned;
  const signBlockedBecause = !mayWork
    ? null
    : handoff.signaturesGiven >= handoff.signatureRequirement.count
      ? null
      : alreadySigned
        ? 'You have signed this version; the next signature is by someone else.'
        : !myTurn
          ? `The next signature is by ${handoff.nextSignerRoles.map(roleLabel).join(' or ')}.`
          : beforeSigning.length > 0
            ? 'Sign once every unit is scanned and the condition is recorded: a later change voids the signature.'
            : null;

  const complete = async () => {
    setCompleting(true);
    setProblem(null);
    try {
      const done = await completeHandoff(handoff.id);
      setUpdated(done.handoff);
      setOutcome(done.outcome.status);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setCompleting(false);
    }
  };

  return (
    <>
      <BackLink to={custodyCasePath(handoff.caseId)} label="Custody of the case" />
      <PageHeader
        title={`Hand-off: ${from} → ${to}`}
        purpose="Scan every unit, record the condition of the transfer, sign, then complete the hand-off."
      />
      <Group gap="sm" mb="md" wrap="wrap">
        <HandoffStatusBadge status={handoff.status} />
        <Text size="sm" c="dimmed">
          Chain of identity{' '}
          <Text span ff="monospace" fw={700} c="var(--mantine-color-text)">
            {displayIsbt(handoff.chainOfIdentity)}
          </Text>
          {handoff.step ? ` · step ${humanise(handoff.step)}` : ''} · version {handoff.version}
        </Text>
      </Group>
      {outcome === 'completed' ? (
        <Alert color="teal" variant="filled" title="Hand-off completed" mb="md" role="status">
          The units are now in the custody of {to}.
        </Alert>
      ) : outcome === 'completed_with_excursion' ? (
        <Alert
          color="red"
          variant="filled"
          title="Completed with a temperature excursion"
          mb="md"
          role="alert"
        >
          The units moved to {to}, but the case is quarantined: QA has an exception to review and a deviation
          is recorded.
        </Alert>
      ) : null}
      {draft && !party ? (
        <Alert color="gray" variant="light" mb="md">
          Only {from} and {to} work on this hand-off; you can follow it here.
        </Alert>
      ) : null}
      <div className="handoff-layout">
        <Stack gap="lg">
          <Panel id="units-heading" title="Units">
            <Stack gap="md">
              <List spacing={4} listStyleType="none" aria-label="Units in this hand-off">
                {handoff.items.map((item) => {
                  const scanned = handoff.scans.some(
                    (s) => s.result === 'matched' && s.matchedItemId === item.id,
                  );
                  return (
                    <List.Item key={item.id}>
                      <Group gap="xs" wrap="nowrap">
                        <Text fw={800} c={scanned ? 'teal.8' : 'gray.6'} w={18} aria-hidden="true">
                          {scanned ? '✓' : '○'}
                        </Text>
                        <Text size="sm">
                          {itemTypeLabel(item.itemType)}{' '}
                          <Text span ff="monospace" fw={600}>
                            {displayIsbt(item.unitCode)}
                          </Text>{' '}
                          <Text span c={scanned ? 'teal.8' : 'orange.9'} size="xs" fw={600}>
                            {scanned ? 'scanned' : 'not scanned yet'}
                          </Text>
                        </Text>
                      </Group>
                    </List.Item>
                  );
                })}
              </List>
              {mayWork ? (
                <ScanField
                  label="Scan a unit"
                  onScan={async (text) => {
                    const answer = await recordScan(handoff.id, text);
                    setUpdated(answer.handoff);
                    return { result: answer.scan.result, scanned: answer.scan.scanned };
                  }}
                />
              ) : null}
              <div>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
                  Scanned
                </Text>
                <ScanResults scans={handoff.scans} />
              </div>
            </Stack>
          </Panel>
          <Panel id="condition-heading" title="Condition">
            <Stack gap="md">
              <ConditionView
                condition={handoff.condition}
                shipper={handoff.shipper}
                sealIntact={handoff.sealIntact}
                completed={handoff.status !== 'draft'}
              />
              {mayWork ? (
                <ConditionForm
                  key={conditionKey(handoff)}
                  handoff={handoff}
                  onSave={async (input) => setUpdated(await recordCondition(handoff.id, input))}
                />
              ) : null}
            </Stack>
          </Panel>
        </Stack>
        <Stack gap="lg">
          <Panel id="signatures-heading" title="Signatures" headingRef={signaturesHeading}>
            <Stack gap="md">
              <HandoffSignatureList handoff={handoff} />
              {mayWork && handoff.signaturesGiven < handoff.signatureRequirement.count ? (
                <>
                  <Button size="lg" onClick={() => setSigning(true)} disabled={signBlockedBecause !== null}>
                    Sign “{handoff.signatureRequirement.meaning}”
                  </Button>
                  {signBlockedBecause ? (
                    <Text size="sm" c="dimmed">
                      {signBlockedBecause}
                    </Text>
                  ) : null}
                </>
              ) : null}
            </Stack>
          </Panel>
          {draft ? (
            <Panel id="complete-heading" title="Complete">
              <Stack gap="md">
                {handoff.blockers.some((b) => b.what === 'mismatch') ? (
                  <Alert
                    color="red"
                    variant="light"
                    title="A scanned identifier is not in this hand-off"
                    role="alert"
                  >
                    The scan stays on the record and this hand-off cannot complete. Set the unit aside, keep
                    it apart from this patient's units, and call QA.
                  </Alert>
                ) : null}
                {handoff.blockers.length > 0 ? (
                  <div>
                    <Text size="sm" fw={600} id="blockers-heading">
                      Cannot complete yet:
                    </Text>
                    <List size="sm" aria-labelledby="blockers-heading" c="orange.9" data-testid="blockers">
                      {handoff.blockers.map((b) => (
                        <List.Item key={`${b.what}-${b.detail}`}>{withRoleLabels(b.detail)}</List.Item>
                      ))}
                    </List>
                  </div>
                ) : (
                  <Text size="sm" c="teal.8" fw={600}>
                    Everything is in order.
                  </Text>
                )}
                {problem ? <ProblemAlert problem={problem} action="complete the hand-off" /> : null}
                {mayWork ? (
                  <Button
                    size="xl"
                    color={handoff.condition?.excursion ? 'red' : 'teal'}
                    disabled={handoff.blockers.length > 0}
                    loading={completing}
                    onClick={() => void complete()}
                  >
                    {handoff.condition?.excursion ? 'Complete hand-off with excursion' : 'Complete hand-off'}
                  </Button>
                ) : null}
              </Stack>
            </Panel>
          ) : null}
        </Stack>
      </div>
      <SignatureDialog
        opened={signing}
        onClose={() => {
          setSigning(false);
          // The sign button may now be disabled: land on the signatures, where the new one shows.
          setTimeout(() => signaturesHeading.current?.focus(), 0);
        }}
        meaning={handoff.signatureRequirement.meaning}
        recordSummary={
          <Text size="sm">
            Hand-off of {handoff.items.map((i) => i.unitCode).join(', ')} from {from} to {to}: the scans,
            condition and seal as shown (version {handoff.version}, record{' '}
            <Text span ff="monospace" size="xs">
              {handoff.recordHash.slice(0, 12)}…
            </Text>
            )
          </Text>
        }
        sign={async (credentials) => {
          const answer = await signHandoff(handoff.id, handoff.recordHash, credentials);
          setUpdated(answer.handoff);
          return answer.signature;
        }}
      />
    </>
  );
}
