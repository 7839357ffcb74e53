import { Paper, Select, SimpleGrid } from '@mantine/core';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { hasAnyPermission } from '../auth/auth-api.ts';
import { RequirePermission } from '../auth/require-permission.tsx';
import { useSession } from '../auth/session-context.ts';
import { EmptyStateCard } from '../empty-state-card.tsx';
import { PageHeader } from '../page-header.tsx';
import { ResourceView } from '../resource-view.tsx';
import { CapacityCalendar } from '../scheduling/capacity-calendar.tsx';
import { ClosuresPanel } from '../scheduling/closures-panel.tsx';
import { fetchCapacity } from '../scheduling/scheduling-api.ts';
import { siteLabel, todayDay, workTypeTitle } from '../scheduling/scheduling-labels.ts';
import { SchedulingNav } from '../scheduling/scheduling-nav.tsx';
import { schedulingScreen } from '../scheduling/scheduling-screen.ts';
import { useSchedulingSites } from '../scheduling/use-scheduling-sites.ts';
import { useResource } from '../use-resource.ts';

const DAYS = 120;

/** Today in the site's own time zone, YYYY-MM-DD: capacity is counted per site-local day. */
function todayIn(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date());
  } catch {
    return todayDay();
  }
}

/** Booked, held and free units per day for the next 120 days, per site and work type. */
function SchedulingCapacityPageContent() {
  const [params, setParams] = useSearchParams();
  const siteId = params.get('siteId') ?? '';
  const workTypeParam = params.get('workType') ?? '';
  const directory = useSchedulingSites();
  const { me } = useSession();
  const mayConfigureNetwork = Boolean(me && hasAnyPermission(me, ['scheduling:network']));
  const site = directory.sites.find((entry) => entry.id === siteId);
  const from = site ? todayIn(site.timeZone) : todayDay();
  const load = useCallback(
    (signal: AbortSignal) => (siteId ? fetchCapacity(siteId, from, DAYS, signal) : Promise.resolve(null)),
    [siteId, from],
  );
  const { state, reload } = useResource(load);

  const go = (next: { siteId?: string; workType?: string }) => {
    const query = new URLSearchParams();
    const chosen = next.siteId ?? siteId;
    if (chosen) query.set('siteId', chosen);
    const workType = next.workType ?? (next.siteId !== undefined ? '' : workTypeParam);
    if (workType) query.set('workType', workType);
    setParams(query);
  };

  const siteOptions = directory.sites.map((entry) => ({
    value: entry.id,
    label: siteLabel(entry.id),
    kind: entry.kind,
  }));
  const groups = [...new Set(siteOptions.map((option) => option.kind))].map((kind) => ({
    group: siteKindGroups[kind] ?? kind,
    items: siteOptions.filter((option) => option.kind === kind).map(({ value, label }) => ({ value, label })),
  }));
  if (siteId && !site) groups.push({ group: 'Other', items: [{ value: siteId, label: siteLabel(siteId) }] });

  // What the site does, and whatever it has capacity for.
  const loaded = state.status === 'success' && state.data ? state.data : [];
  const withCapacity = [...new Set(loaded.map((entry) => entry.workType))];
  const workTypes = [...new Set([...withCapacity, ...(site?.workTypes ?? [])])];
  const workType = workTypes.includes(workTypeParam)
    ? workTypeParam
    : (withCapacity[0] ?? workTypes[0] ?? '');

  return (
    <>
      <PageHeader title={schedulingScreen.title} purpose={schedulingScreen.purpose} />
      <SchedulingNav />
      <Paper withBorder radius="md" p="md" mb="lg">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Select
            label="Site"
            placeholder={
              directory.status === 'loading'
                ? 'Loading sites…'
                : directory.status === 'error'
                  ? 'The sites could not be loaded'
                  : 'Type a name or code'
            }
            description={site ? `Days and times are local to the site: ${site.timeZone}` : undefined}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            data={groups}
            value={siteId || null}
            onChange={(value) => {
              if (value) go({ siteId: value });
            }}
            allowDeselect={false}
            searchable
            nothingFoundMessage="No site has that name or code"
          />
          <Select
            label="Work type"
            placeholder={siteId ? 'Choose a work type' : 'Choose a site first'}
            data={workTypes.map((value) => ({ value, label: workTypeTitle(value) }))}
            value={workType || null}
            onChange={(value) => value && go({ workType: value })}
            allowDeselect={false}
            disabled={workTypes.length === 0}
          />
        </SimpleGrid>
      </Paper>
      <section aria-labelledby="capacity-heading">
        <h2 id="capacity-heading" className="visually-hidden">
          Capacity calendar
        </h2>
        {siteId ? (
          <ResourceView
            state={state}
            reload={reload}
            what="the capacity"
            empty={{
              title: 'No capacity at this site',
              description: 'The site has published no capacity for the next 120 days.',
            }}
            isEmpty={(data) => !data || data.length === 0}
          >
            {(data) => (
              <Paper withBorder radius="md" p="md">
                <CapacityCalendar
                  days={(data ?? []).filter((entry) => entry.workType === workType)}
                  from={from}
                  count={DAYS}
                  caption={`${workTypeTitle(workType)} capacity of ${siteLabel(siteId)} per day`}
                />
              </Paper>
            )}
          </ResourceView>
        ) : (
          <EmptyStateCard
            headingOrder={3}
            title="Choose a site"
            description="Pick a site by its name or code to see its booked, held and free slots per day."
          />
        )}
      </section>
      {siteId && mayConfigureNetwork ? <ClosuresPanel key={siteId} siteId={siteId} today={from} /> : null}
    </>
  );
}

const siteKindGroups: Record<string, string> = {
  treatment_centre: 'Treatment centres',
  collection_centre: 'Collection centres',
  manufacturing_site: 'Plants',
  infusion_site: 'Infusion sites',
  depot: 'Depots',
};

export function SchedulingCapacityPage() {
  return (
    <RequirePermission screen={schedulingScreen}>
      <SchedulingCapacityPageContent />
    </RequirePermission>
  );
}
