import { Alert, Anchor, Button, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { DoneNotice } from '../admin/done-notice.tsx';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { useSession } from '../auth/session-context.ts';
import { fetchCases } from '../cases/cases-api.ts';
import { EmptyStateCard } from '../empty-state-card.tsx';
import { ProblemAlert } from '../problem-alert.tsx';
import { LoadingRows } from '../resource-view.tsx';
import { fetchTemplates } from '../therapy/therapy-api.ts';
import { humanise, therapyTypeLabel } from '../therapy/therapy-labels.ts';
import { useFormSubmit } from '../use-form-submit.ts';
import { useResource } from '../use-resource.ts';
import { ChainOptionCard } from './chain-option-card.tsx';
import { ExclusionsPanel } from './exclusions-panel.tsx';
import { FinderForm, type FinderValues, finderFields } from './finder-form.tsx';
import { HoldPanel } from './hold-panel.tsx';
import { Reveal } from './reveal.tsx';
import {
  alternativesOf,
  type Booking,
  type Exclusion,
  fetchBookings,
  newIdempotencyKey,
  type SearchSubject,
  type SlotChain,
  searchChains,
  takeChain,
} from './scheduling-api.ts';
import { addDays, isLive, siteLabel, siteRoleOf, todayDay } from './scheduling-labels.ts';
import { bookingPath } from './scheduling-paths.ts';
import { useCountdown } from './use-countdown.ts';
import { useSchedulingSites } from './use-scheduling-sites.ts';

interface Result {
  subject: SearchSubject;
  chains: SlotChain[];
  exclusions: Exclusion[] | null;
}

function subjectOf(values: FinderValues): SearchSubject {
  return values.mode === 'case'
    ? { caseId: values.caseId }
    : { therapyCode: values.therapyCode, treatmentCentreId: values.treatmentCentreId };
}

const loadCaseOptions = async (signal: AbortSignal) =>
  (await fetchCases({}, signal))
    .filter((item) => !['completed', 'cancelled', 'closed'].includes(item.status))
    .map((item) => ({
      value: item.id,
      label: `${item.patientLabel} · ${therapyTypeLabel(item.therapyType)} · ${item.treatmentCentre.name}${item.status === 'active' ? '' : ` (${humanise(item.status)})`}`,
    }));

const loadTherapyOptions = async (signal: AbortSignal) => {
  const templates = await fetchTemplates(signal).catch(() => []);
  const byCode = new Map<string, string>();
  for (const template of templates)
    if (template.status === 'published') byCode.set(template.code, `${template.title} (${template.code})`);
  return [...byCode].map(([value, label]) => ({ value, label }));
};

/**
 * The slot-chain finder: search, compare the options side by side, hold one (with its countdown)
 * and confirm it, or book at once; a slot someone else took meanwhile offers the alternatives.
 */
export function SlotFinder() {
  const [searchParams] = useSearchParams();
  const initialCase = searchParams.get('caseId') ?? '';
  const [values, setValues] = useState<FinderValues>({
    mode: 'case',
    caseId: initialCase,
    therapyCode: '',
    treatmentCentreId: '',
    // Tomorrow: "today" here may already be yesterday at a centre east of the browser, and be refused.
    earliestDate: addDays(todayDay(), 1),
    latestInfusionDate: '',
    count: '3',
    plantIds: [],
    avoidSiteIds: [],
    includeUnpublished: false,
  });
  const form = useFormSubmit(finderFields);
  const [result, setResult] = useState<Result | null>(null);
  const [knownSites, setKnownSites] = useState<Map<string, string>>(new Map());
  const [hold, setHold] = useState<Booking | null>(null);
  const [done, setDone] = useState<{ message: string; bookingId: string } | null>(null);
  const [taking, setTaking] = useState<number | null>(null);
  const [takeProblem, setTakeProblem] = useState<ProblemDetail | null>(null);
  const [taken, setTaken] = useState<{ problem: ProblemDetail; alternatives: SlotChain[] } | null>(null);

  const holdLeft = useCountdown(hold?.holdExpiresAt ?? null);
  const directory = useSchedulingSites();
  const { me } = useSession();
  const cases = useResource(loadCaseOptions);
  const therapies = useResource(loadTherapyOptions);
  const caseId = values.mode === 'case' ? values.caseId : '';
  const loadCaseBookings = useCallback(
    (signal: AbortSignal) => (caseId ? fetchBookings({ caseId }, signal) : Promise.resolve([])),
    [caseId],
  );
  const caseBookings = useResource(loadCaseBookings);
  const liveBooking =
    caseBookings.state.status === 'success'
      ? caseBookings.state.data.find((booking) => isLive(booking.status))
      : undefined;

  const remember = (chains: SlotChain[]) =>
    setKnownSites((current) => {
      const next = new Map(current);
      for (const step of chains.flatMap((chain) => chain.steps))
        if (!next.has(step.siteId)) next.set(step.siteId, step.workType);
      return next;
    });

  const search = (explain: boolean) => {
    const checks: Record<string, string> = {};
    if (values.mode === 'case' && !values.caseId) checks.caseId = 'Choose the case to find slots for.';
    if (values.mode === 'therapy' && !values.therapyCode) checks.therapyCode = 'Choose the therapy.';
    if (values.mode === 'therapy' && !values.treatmentCentreId)
      checks.treatmentCentreId = 'Choose the treatment centre.';
    if (!values.earliestDate) checks.earliestDate = 'Give the earliest day a step may take place.';
    const subject = subjectOf(values);
    return form.submit(checks, async () => {
      setTakeProblem(null);
      setTaken(null);
      setDone(null);
      const request = {
        subject,
        earliestDate: values.earliestDate,
        count: Number(values.count),
        preferences: {
          plantIds: values.plantIds,
          avoidSiteIds: values.avoidSiteIds,
          latestInfusionDate: values.latestInfusionDate || undefined,
          includeUnpublished: values.includeUnpublished || undefined,
        },
      };
      let found = await searchChains({ ...request, explain });
      // No chain at all: say why at once, without making the coordinator ask.
      if (found.chains.length === 0 && !explain) {
        found = await searchChains({ ...request, explain: true });
        explain = true;
      }
      remember(found.chains);
      setResult({ subject, chains: found.chains, exclusions: explain ? found.exclusions : null });
    });
  };

  // Arriving from a case ("Find slots"): search straight away.
  const searchedOnArrival = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, for the case in the address.
  useEffect(() => {
    if (initialCase && !searchedOnArrival.current) {
      searchedOnArrival.current = true;
      void search(false);
    }
  }, []);

  const take = async (mode: 'hold' | 'book', chain: SlotChain, position: number) => {
    if (!result) return;
    setTaking(position);
    setTakeProblem(null);
    setDone(null);
    try {
      const booking = await takeChain(mode, result.subject, chain, newIdempotencyKey());
      setTaken(null);
      if (mode === 'hold') setHold(booking);
      else
        setDone({
          message:
            booking.status === 'requested'
              ? `Case ${booking.caseRef}: booked; the unpublished slots wait for their sites to confirm.`
              : `Case ${booking.caseRef}: the chain is booked.`,
          bookingId: booking.id,
        });
      caseBookings.reload();
    } catch (error) {
      const problem = problemOf(error);
      const alternatives = alternativesOf(problem);
      if (problem.status === 409 && (alternatives.length > 0 || 'alternatives' in problem)) {
        remember(alternatives);
        setTaken({ problem, alternatives });
      } else setTakeProblem(problem);
    } finally {
      setTaking(null);
    }
  };

  // The whole network once its directory is loaded; until then the sites earlier results named.
  const network = directory.sites.map((site) => ({
    value: site.id,
    label: siteLabel(site.id),
    kind: site.kind,
  }));
  const plants =
    network.length > 0
      ? network.filter((site) => site.kind === 'manufacturing_site')
      : [...knownSites]
          .filter(([, workType]) => siteRoleOf(workType) === 'Plant')
          .map(([id, workType]) => ({ value: id, label: siteLabel(id, workType) }));
  const sites =
    network.length > 0
      ? network
      : [...knownSites].map(([id, workType]) => ({ value: id, label: siteLabel(id, workType) }));
  // A centre's staff search for their own centre only; the sponsor's coordinators for any.
  const centres = directory.sites
    .filter(
      (site) =>
        site.kind === 'treatment_centre' &&
        (me?.partner.type === 'sponsor' || site.partnerId === me?.partner.id),
    )
    .map((site) => ({ value: site.id, label: siteLabel(site.id) }));
  const shown = taken ? taken.alternatives : (result?.chains ?? []);
  // Once the hold has run out, the server releases it within a second: then the case may book again.
  const holdExpired = hold !== null && holdLeft === 0;
  const reloadCaseBookings = caseBookings.reload;
  useEffect(() => {
    if (!holdExpired) return;
    const timer = window.setTimeout(reloadCaseBookings, 2000);
    return () => window.clearTimeout(timer);
  }, [holdExpired, reloadCaseBookings]);

  const holdActive = hold !== null && hold.status === 'held' && holdLeft !== null && holdLeft > 0;
  const disabledReason = holdActive
    ? 'You hold a chain for this search: confirm or release it first.'
    : liveBooking && result && 'caseId' in result.subject && result.subject.caseId === caseId
      ? 'This case already has a booking: re-plan or cancel it instead.'
      : undefined;

  return (
    <Stack gap={0}>
      <FinderForm
        values={values}
        onChange={setValues}
        cases={cases.state.status === 'success' ? cases.state.data : []}
        casesLoading={cases.state.status === 'loading'}
        therapies={therapies.state.status === 'success' ? therapies.state.data : []}
        centres={centres}
        centresLoading={directory.status === 'loading'}
        plants={plants}
        sites={sites}
        errors={form.errors}
        busy={form.busy}
        onSearch={(explain) => void search(explain)}
      />
      {cases.state.status === 'error' ? (
        <ProblemAlert problem={cases.state.problem} action="load the cases" />
      ) : null}
      {liveBooking && liveBooking.id !== hold?.id && liveBooking.id !== done?.bookingId ? (
        <Alert color="blue" variant="light" mb="md" title="This case already has a booking">
          <Text size="sm">
            Its chain is {liveBooking.status}.{' '}
            <Anchor component={Link} to={bookingPath(liveBooking.id)}>
              Open booking {liveBooking.caseRef}
            </Anchor>{' '}
            to re-plan a step or cancel it.
          </Text>
        </Alert>
      ) : null}
      {form.alert ? (
        <div style={{ marginBottom: 16 }}>
          <ProblemAlert problem={form.alert} action="search for slot chains" />
        </div>
      ) : null}
      {done ? (
        <Reveal key={done.bookingId}>
          <Stack gap={4} mb="md">
            <DoneNotice message={done.message} onClose={() => setDone(null)} />
            <Group>
              <Button component={Link} to={bookingPath(done.bookingId)} variant="light" size="xs">
                Open the booking
              </Button>
            </Group>
          </Stack>
        </Reveal>
      ) : null}
      {hold && hold.status === 'held' ? (
        <Reveal key={hold.id}>
          <HoldPanel
            hold={hold}
            onConfirmed={(booking) => {
              setHold(null);
              caseBookings.reload();
              setDone({
                message:
                  booking.status === 'requested'
                    ? `Case ${booking.caseRef}: confirmed; the unpublished slots wait for their sites to confirm.`
                    : `Case ${booking.caseRef}: the chain is booked.`,
                bookingId: booking.id,
              });
            }}
            onReleased={() => {
              setHold(null);
              caseBookings.reload();
            }}
          />
        </Reveal>
      ) : null}
      {takeProblem ? (
        <div style={{ marginBottom: 16 }}>
          <ProblemAlert problem={takeProblem} action="take the chain" />
        </div>
      ) : null}
      {taken ? (
        <Reveal key={String(taken.problem.requestId ?? taken.problem.detail)}>
          <Alert color="orange" variant="light" mb="md" title="Someone just took this slot" role="alert">
            <Text size="sm">{taken.problem.detail ?? 'A slot of that chain was taken a moment ago.'}</Text>
            <Text size="sm" mt={4}>
              {taken.alternatives.length > 0
                ? `Nothing was booked. ${taken.alternatives.length === 1 ? 'This chain is' : 'These chains are'} still free: pick one below.`
                : 'Nothing was booked, and no other chain is free now: change the dates or preferences and search again.'}
            </Text>
          </Alert>
        </Reveal>
      ) : null}
      {form.busy && !result ? <LoadingRows label="Searching for slot chains" height={120} /> : null}
      {result ? (
        <section aria-labelledby="chain-options-heading">
          <Text component="h2" id="chain-options-heading" fz="h4" fw={650} mb="sm">
            {taken ? 'Options still free' : 'Options'}
          </Text>
          {shown.length === 0 ? (
            <EmptyStateCard
              headingOrder={3}
              title="No chain fits"
              description="No complete chain respects every calendar, capacity, route and lead time from this date. The reasons are below: try a later date, include unpublished slots or drop a preference."
            />
          ) : (
            <SimpleGrid
              cols={{
                base: 1,
                sm: Math.min(2, shown.length),
                lg: Math.min(3, shown.length),
                xl: Math.min(5, shown.length),
              }}
              spacing="md"
            >
              {shown.map((chain, index) => (
                <ChainOptionCard
                  key={chain.steps.map((step) => `${step.siteId}:${step.day}`).join('|')}
                  chain={chain}
                  position={index + 1}
                  {...(shown[0] ? { reference: shown[0] } : {})}
                  busy={taking === index + 1}
                  onHold={() => void take('hold', chain, index + 1)}
                  onBook={() => void take('book', chain, index + 1)}
                  {...(disabledReason ? { disabledReason } : {})}
                />
              ))}
            </SimpleGrid>
          )}
          {result.exclusions ? (
            <div style={{ marginTop: 16 }}>
              <ExclusionsPanel exclusions={result.exclusions} />
            </div>
          ) : null}
        </section>
      ) : null}
    </Stack>
  );
}
