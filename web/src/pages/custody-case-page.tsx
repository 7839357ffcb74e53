import '../custody/custody.css';
import { Alert, Anchor, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { hasAnyPermission } from '../auth/auth-api.ts';
import { useSession } from '../auth/session-context.ts';
import { BackLink } from '../back-link.tsx';
import { ChainOfIdentityPanel } from '../custody/chain-of-identity-panel.tsx';
import { type CustodyTimeline, fetchCustody } from '../custody/custody-api.ts';
import { CustodyItemList } from '../custody/custody-item-list.tsx';
import { bedsideCheckLabel } from '../custody/custody-labels.ts';
import { bedsidePath, custodyPath, handoffPath } from '../custody/custody-paths.ts';
import { DossierDownloads } from '../custody/dossier-downloads.tsx';
import { HandoffCard } from '../custody/handoff-card.tsx';
import { OpenHandoffModal } from '../custody/open-handoff-modal.tsx';
import { useNetworkPartners } from '../custody/partner-names.ts';
import { RecordUnitModal } from '../custody/record-unit-modal.tsx';
import { DateTimeText } from '../date-time-text.tsx';
import { PageHeader } from '../page-header.tsx';
import { LoadFailed, LoadingRows } from '../resource-view.tsx';
import { humanise } from '../therapy/therapy-labels.ts';
import { useResource } from '../use-resource.ts';

function Heading({ id, children }: { id: string; children: string }) {
  return (
    <Text component="h2" id={id} fz="h4" fw={650} mb="sm">
      {children}
    </Text>
  );
}

/** The custody record of one case: chain of identity, units, hand-offs, bedside checks and the dossier. */
export function CustodyCasePage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const navigate = useNavigate();
  const partners = useNetworkPartners();
  const load = useCallback((signal: AbortSignal) => fetchCustody(id, signal), [id]);
  const { state, reload } = useResource(load);
  const [starting, setStarting] = useState(false);
  const [recording, setRecording] = useState(false);
  const [updated, setUpdated] = useState<CustodyTimeline | null>(null);
  // After a label print only the counts change: refresh in place, keeping the page and its PDF link.
  const refresh = () => void fetchCustody(id).then(setUpdated, reload);

  const back = <BackLink to={custodyPath} label="Custody & identity" />;
  if (state.status === 'loading')
    return (
      <>
        {back}
        <LoadingRows label="Loading the custody record" height={80} />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        {back}
        <PageHeader title="Custody" purpose="The chain of identity and custody of one case." />
        <LoadFailed problem={state.problem} action="load the custody record" onRetry={reload} />
      </>
    );

  const custody: CustodyTimeline = updated && updated.caseId === state.data.caseId ? updated : state.data;
  const can = (permission: string) => Boolean(me && hasAnyPermission(me, [permission]));
  return (
    <>
      {back}
      <PageHeader
        title={`Custody · ${custody.patientLabel}`}
        purpose="Who held each unit of this therapy, where, when and in what condition; every scan and signature."
      />
      <Stack gap="xl">
        <ChainOfIdentityPanel value={custody.chainOfIdentity} />
        <Group gap="sm" wrap="wrap">
          {can('custody:handoff') && custody.items.length > 0 ? (
            <Button size="md" onClick={() => setStarting(true)}>
              Start a hand-off
            </Button>
          ) : null}
          {can('custody:handoff') ? (
            <Button size="md" variant="default" onClick={() => setRecording(true)}>
              Record a unit
            </Button>
          ) : null}
          {can('custody:bedside') ? (
            <Button size="md" variant="default" component={Link} to={bedsidePath(custody.caseId)}>
              Bedside verification
            </Button>
          ) : null}
          <Anchor component={Link} to={`/cases/${custody.caseId}`} size="sm">
            Open the case ({custody.reference})
          </Anchor>
        </Group>

        {custody.deviations.length > 0 ? (
          <Alert color="red" variant="light" title="Deviations" role="status">
            <Stack gap={4} component="ul" className="plain-list">
              {custody.deviations.map((d) => (
                <li key={d.id}>
                  <Text size="sm" fw={600}>
                    {humanise(d.kind)}
                  </Text>
                  <Text size="sm">{d.description}</Text>
                  <DateTimeText iso={d.raisedAt} />
                </li>
              ))}
            </Stack>
          </Alert>
        ) : null}

        <section aria-labelledby="units-heading">
          <Heading id="units-heading">Units</Heading>
          <CustodyItemList
            items={custody.items}
            canPrint={can('custody:labels')}
            canRelease={Boolean(me?.roles.includes('qa'))}
            onChanged={refresh}
          />
        </section>

        <section aria-labelledby="handoffs-heading">
          <Heading id="handoffs-heading">Hand-offs</Heading>
          {custody.handoffs.length === 0 ? (
            <Text size="sm" c="dimmed">
              No hand-off yet.
            </Text>
          ) : (
            <Stack gap="md">
              {custody.handoffs.map((h) => (
                <HandoffCard key={h.id} handoff={h} partners={partners} />
              ))}
            </Stack>
          )}
        </section>

        {custody.bedsideVerifications.length > 0 ? (
          <section aria-labelledby="bedside-heading">
            <Heading id="bedside-heading">Bedside verifications</Heading>
            <Stack gap="sm">
              {custody.bedsideVerifications.map((b) => (
                <Paper key={b.id} withBorder radius="md" p="sm">
                  <Group gap="sm" wrap="wrap">
                    <Text fw={800} c={b.result === 'pass' ? 'teal.8' : 'red.8'}>
                      {b.result === 'pass' ? 'PASS' : 'STOP'}
                    </Text>
                    <DateTimeText iso={b.verifiedAt} />
                  </Group>
                  {b.result === 'stop' ? (
                    <Text size="sm" c="red.8">
                      Failed:{' '}
                      {b.checks
                        .filter((c) => !c.ok)
                        .map((c) => bedsideCheckLabel(c.check))
                        .join(', ')}
                    </Text>
                  ) : null}
                </Paper>
              ))}
            </Stack>
          </section>
        ) : null}

        <section aria-labelledby="custody-events-heading">
          <Heading id="custody-events-heading">Custody events</Heading>
          {custody.events.length === 0 ? (
            <Text size="sm" c="dimmed">
              No events yet.
            </Text>
          ) : (
            <ol className="timeline" aria-label="Custody events, oldest first">
              {custody.events.map((event) => (
                <li key={`${event.type}-${event.recordId}-${event.at}-${event.summary}`}>
                  <Text size="sm" fw={600}>
                    {event.summary}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {humanise(event.type)}
                  </Text>
                  <DateTimeText iso={event.at} />
                </li>
              ))}
            </ol>
          )}
        </section>

        {can('dossier:read') ? <DossierDownloads caseId={custody.caseId} /> : null}
      </Stack>
      <RecordUnitModal
        opened={recording}
        caseId={custody.caseId}
        items={custody.items}
        onClose={() => setRecording(false)}
        onRecorded={refresh}
      />
      <OpenHandoffModal
        opened={starting}
        caseId={custody.caseId}
        items={custody.items}
        partners={partners}
        onClose={() => setStarting(false)}
        onOpened={(handoff) => navigate(handoffPath(handoff.id))}
      />
    </>
  );
}
