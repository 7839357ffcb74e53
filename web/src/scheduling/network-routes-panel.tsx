import { Button, Group, NumberInput, Paper, Select, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ProblemAlert } from '../problem-alert.tsx';
import { useFormSubmit } from '../use-form-submit.ts';
import { type NetworkRoute, type RouteLeg, removeRoute, saveRoute } from './network-config-api.ts';
import type { SchedulingSite } from './scheduling-api.ts';
import { siteLabel } from './scheduling-labels.ts';

const FIELDS = ['fromSiteId', 'toSiteId', 'leg', 'transportHours', 'reason'] as const;

export const LEG_LABELS: Record<RouteLeg, string> = {
  collection_to_plant: 'Collection → plant',
  plant_to_infusion: 'Plant → infusion',
};

// Which sites may start and end each leg (network-config-store.ts LEG_KINDS is the truth).
const LEG_ENDS: Record<RouteLeg, { from: string[]; to: string[] }> = {
  collection_to_plant: { from: ['collection_centre', 'treatment_centre'], to: ['manufacturing_site'] },
  plant_to_infusion: { from: ['manufacturing_site'], to: ['infusion_site', 'treatment_centre'] },
};

type Mode = { kind: 'add' } | { kind: 'edit'; route: NetworkRoute } | { kind: 'remove'; route: NetworkRoute };

const blank = { leg: 'collection_to_plant' as RouteLeg, fromSiteId: '', toSiteId: '', transportHours: '' };

function hours(value: number): string {
  return `${value} h`;
}

/** The routes between sites and their transport times: what the slot finder may chain, and how far apart. */
export function NetworkRoutesPanel({
  routes,
  sites,
  editable,
  onSaved,
}: {
  routes: NetworkRoute[];
  sites: readonly SchedulingSite[];
  editable: boolean;
  onSaved: () => void;
}) {
  const [mode, setMode] = useState<Mode>({ kind: 'add' });
  const [values, setValues] = useState<{
    leg: RouteLeg;
    fromSiteId: string;
    toSiteId: string;
    transportHours: number | string;
  }>(blank);
  const [reason, setReason] = useState('');
  const form = useFormSubmit(FIELDS);
  const sorted = [...routes].sort(
    (a, b) =>
      a.leg.localeCompare(b.leg) ||
      siteLabel(a.fromSiteId).localeCompare(siteLabel(b.fromSiteId)) ||
      siteLabel(a.toSiteId).localeCompare(siteLabel(b.toSiteId)),
  );
  const optionsOf = (kinds: string[]) =>
    sites
      .filter((site) => kinds.includes(site.kind))
      .map((site) => ({ value: site.id, label: siteLabel(site.id) }))
      .sort((a, b) => a.label.localeCompare(b.label));

  const start = (next: Mode) => {
    setMode(next);
    form.reset();
    if (next.kind === 'add') setValues(blank);
    else setValues({ ...next.route });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checks: Record<string, string> = {};
    if (reason.trim().length < 3) checks.reason = 'Say why (at least 3 characters).';
    if (mode.kind === 'remove') {
      const { fromSiteId, toSiteId } = mode.route;
      void form.submit(checks, async () => {
        await removeRoute({ fromSiteId, toSiteId, reason: reason.trim() });
        setReason('');
        start({ kind: 'add' });
        onSaved();
      });
      return;
    }
    if (!values.fromSiteId) checks.fromSiteId = 'Choose where the route starts.';
    if (!values.toSiteId) checks.toSiteId = 'Choose where the route ends.';
    if (typeof values.transportHours !== 'number')
      checks.transportHours = 'Give the transport time in hours.';
    void form.submit(checks, async () => {
      await saveRoute({ ...values, transportHours: Number(values.transportHours), reason: reason.trim() });
      setReason('');
      start({ kind: 'add' });
      onSaved();
    });
  };

  const ends = LEG_ENDS[values.leg];
  const title =
    mode.kind === 'add'
      ? 'Add a route'
      : mode.kind === 'edit'
        ? `Change the route ${siteLabel(mode.route.fromSiteId)} → ${siteLabel(mode.route.toSiteId)}`
        : `Remove the route ${siteLabel(mode.route.fromSiteId)} → ${siteLabel(mode.route.toSiteId)}`;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="routes-heading">
      <Text component="h2" id="routes-heading" fz="h4" fw={650} mb={4}>
        Routes
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        Only sites joined by a route are chained by the slot finder; the transport time separates their steps.
      </Text>
      {sorted.length === 0 ? (
        <Text size="sm" mb="sm">
          No routes yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" striped aria-label="Routes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">From</Table.Th>
                <Table.Th scope="col">To</Table.Th>
                <Table.Th scope="col">Leg</Table.Th>
                <Table.Th scope="col" ta="right">
                  Transport
                </Table.Th>
                {editable ? (
                  <Table.Th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map((route) => {
                const name = `${siteLabel(route.fromSiteId)} → ${siteLabel(route.toSiteId)}`;
                return (
                  <Table.Tr key={`${route.fromSiteId}:${route.toSiteId}`}>
                    <Table.Td>{siteLabel(route.fromSiteId)}</Table.Td>
                    <Table.Td>{siteLabel(route.toSiteId)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{LEG_LABELS[route.leg]}</Table.Td>
                    <Table.Td ta="right">{hours(route.transportHours)}</Table.Td>
                    {editable ? (
                      <Table.Td>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            aria-label={`Edit ${name}`}
                            onClick={() => start({ kind: 'edit', route })}
                          >
                            Edit
                          </Button>
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color="red"
                            aria-label={`Remove ${name}`}
                            onClick={() => start({ kind: 'remove', route })}
                          >
                            Remove
                          </Button>
                        </Group>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editable ? (
        <form onSubmit={submit} noValidate aria-label={title} style={{ marginTop: 16 }}>
          <Text component="h3" fz="md" fw={600} mb="xs">
            {title}
          </Text>
          {mode.kind === 'remove' ? null : (
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md" mb="sm">
              <Select
                label="Leg"
                data={Object.entries(LEG_LABELS).map(([value, label]) => ({ value, label }))}
                value={values.leg}
                onChange={(value) =>
                  value &&
                  setValues((current) => ({
                    ...current,
                    leg: value as RouteLeg,
                    fromSiteId: '',
                    toSiteId: '',
                  }))
                }
                allowDeselect={false}
                disabled={mode.kind === 'edit'}
                error={form.errors.leg}
              />
              <Select
                label="From"
                placeholder="Choose a site"
                data={optionsOf(ends.from)}
                value={values.fromSiteId || null}
                onChange={(value) => setValues((current) => ({ ...current, fromSiteId: value ?? '' }))}
                searchable
                disabled={mode.kind === 'edit'}
                error={form.errors.fromSiteId}
                required
              />
              <Select
                label="To"
                placeholder="Choose a site"
                data={optionsOf(ends.to)}
                value={values.toSiteId || null}
                onChange={(value) => setValues((current) => ({ ...current, toSiteId: value ?? '' }))}
                searchable
                disabled={mode.kind === 'edit'}
                error={form.errors.toSiteId}
                required
              />
              <NumberInput
                label="Transport hours"
                min={0}
                max={240}
                decimalScale={2}
                value={values.transportHours}
                onChange={(value) => setValues((current) => ({ ...current, transportHours: value }))}
                error={form.errors.transportHours}
                required
              />
            </SimpleGrid>
          )}
          <TextInput
            label="Reason"
            description="Recorded in the ledger with the change"
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={form.errors.reason}
            required
            maw={520}
          />
          {form.alert ? (
            <div style={{ marginTop: 12 }}>
              <ProblemAlert
                problem={form.alert}
                action={mode.kind === 'remove' ? 'remove the route' : 'save the route'}
              />
            </div>
          ) : null}
          <Group mt="md">
            <Button type="submit" loading={form.busy} color={mode.kind === 'remove' ? 'red' : undefined}>
              {mode.kind === 'add' ? 'Add route' : mode.kind === 'edit' ? 'Save route' : 'Remove route'}
            </Button>
            {mode.kind === 'add' ? null : (
              <Button variant="default" onClick={() => start({ kind: 'add' })}>
                Cancel
              </Button>
            )}
          </Group>
        </form>
      ) : null}
    </Paper>
  );
}
