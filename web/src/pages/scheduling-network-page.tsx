import { Alert, Paper, Select, Stack } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { hasAnyPermission } from '../auth/auth-api.ts';
import { RequirePermission } from '../auth/require-permission.tsx';
import { useSession } from '../auth/session-context.ts';
import { PageHeader } from '../page-header.tsx';
import { LoadFailed, LoadingRows } from '../resource-view.tsx';
import { fetchNetworkConfig, type NetworkConfig } from '../scheduling/network-config-api.ts';
import { NetworkHoursEditor } from '../scheduling/network-hours-editor.tsx';
import { NetworkRoutesPanel } from '../scheduling/network-routes-panel.tsx';
import { NetworkSiteSetsPanel } from '../scheduling/network-site-sets-panel.tsx';
import { siteLabel } from '../scheduling/scheduling-labels.ts';
import { SchedulingNav } from '../scheduling/scheduling-nav.tsx';
import { schedulingScreen } from '../scheduling/scheduling-screen.ts';
import { useSchedulingSites } from '../scheduling/use-scheduling-sites.ts';
import { useResource } from '../use-resource.ts';

const kindGroups: Record<string, string> = {
  treatment_centre: 'Treatment centres',
  collection_centre: 'Collection centres',
  manufacturing_site: 'Plants',
  infusion_site: 'Infusion sites',
  depot: 'Depots',
};

/** The network's configuration: opening hours per site, routes and preferred site sets. */
function SchedulingNetworkPageContent() {
  const [params, setParams] = useSearchParams();
  const { me } = useSession();
  const editable = Boolean(me && hasAnyPermission(me, ['scheduling:network']));
  const directory = useSchedulingSites();
  const load = useCallback((signal: AbortSignal) => fetchNetworkConfig(signal), []);
  const { state, reload } = useResource(load);
  // The last network loaded stays on screen while a change reloads it, so the editors keep their place.
  const [network, setNetwork] = useState<NetworkConfig | null>(null);
  useEffect(() => {
    if (state.status === 'success') setNetwork(state.data);
  }, [state]);

  const calendars = network
    ? [...network.calendars].sort((a, b) => siteLabel(a.siteId).localeCompare(siteLabel(b.siteId)))
    : [];
  const siteId = params.get('siteId') ?? calendars[0]?.siteId ?? '';
  const calendar = calendars.find((entry) => entry.siteId === siteId);
  const kinds = [...new Set(calendars.map((entry) => entry.kind))];
  const groups = kinds.map((kind) => ({
    group: kindGroups[kind] ?? kind,
    items: calendars
      .filter((entry) => entry.kind === kind)
      .map((entry) => ({ value: entry.siteId, label: siteLabel(entry.siteId) })),
  }));

  return (
    <>
      <PageHeader title={schedulingScreen.title} purpose={schedulingScreen.purpose} />
      <SchedulingNav />
      {editable ? null : (
        <Alert variant="light" color="gray" mb="lg" title="Read only">
          Changing the network needs the network administration permission (scheduling:network).
        </Alert>
      )}
      {network ? (
        <Stack gap="lg">
          {state.status === 'error' ? (
            <LoadFailed problem={state.problem} action="reload the network" onRetry={reload} />
          ) : null}
          <Paper withBorder radius="md" p="md">
            <Select
              label="Site"
              description="Whose opening hours to show"
              data={groups}
              value={siteId || null}
              onChange={(value) => value && setParams({ siteId: value })}
              allowDeselect={false}
              searchable
              nothingFoundMessage="No site has that name or code"
              maw={520}
            />
          </Paper>
          {calendar ? (
            <NetworkHoursEditor
              key={calendar.siteId}
              calendar={calendar}
              editable={editable}
              onSaved={reload}
            />
          ) : null}
          <NetworkRoutesPanel
            routes={network.routes}
            sites={directory.sites}
            editable={editable}
            onSaved={reload}
          />
          <NetworkSiteSetsPanel
            network={network}
            sites={directory.sites}
            editable={editable}
            onSaved={reload}
          />
        </Stack>
      ) : state.status === 'error' ? (
        <LoadFailed problem={state.problem} action="load the network" onRetry={reload} />
      ) : (
        <LoadingRows label="Loading the network" />
      )}
    </>
  );
}

export function SchedulingNetworkPage() {
  return (
    <RequirePermission screen={schedulingScreen}>
      <SchedulingNetworkPageContent />
    </RequirePermission>
  );
}
