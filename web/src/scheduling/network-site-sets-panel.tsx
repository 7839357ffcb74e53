import {
  ActionIcon,
  Autocomplete,
  Badge,
  Button,
  Card,
  Group,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api-client.ts';
import { ProblemAlert } from '../problem-alert.tsx';
import { useFormSubmit } from '../use-form-submit.ts';
import { type NetworkConfig, type PreferredSiteSet, savePreferredSiteSets } from './network-config-api.ts';
import type { SchedulingSite } from './scheduling-api.ts';
import { siteLabel } from './scheduling-labels.ts';

type ListKey = 'collectionSiteIds' | 'plantIds' | 'infusionSiteIds';

// Which sites may stand in each list (network-config-store.ts SET_KINDS is the truth).
const LISTS: { key: ListKey; label: string; kinds: string[] }[] = [
  { key: 'collectionSiteIds', label: 'Collection sites', kinds: ['collection_centre', 'treatment_centre'] },
  { key: 'plantIds', label: 'Plants', kinds: ['manufacturing_site'] },
  { key: 'infusionSiteIds', label: 'Infusion sites', kinds: ['infusion_site', 'treatment_centre'] },
];

const MAX_SETS = 50;
const FIELDS = [
  // treatmentCentreId and therapyCode are chosen above the form: their errors are shown as the alert.
  'sets',
  'reason',
  ...Array.from({ length: MAX_SETS }, (_, i) => [
    `sets.${i}`,
    ...LISTS.map(({ key }) => `sets.${i}.${key}`),
  ]).flat(),
];

type Draft = Omit<PreferredSiteSet, 'rank'>;

/** `body.sets.0.plantIds.2` → `body.sets.0.plantIds`: errors are shown on the list, not on one chip. */
function byList(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.problem.errors) return error;
  return new ApiError({
    ...error.problem,
    errors: error.problem.errors.map((entry) => ({
      ...entry,
      field: entry.field.replace(/^(body\.sets\.\d+\.\w+)\.\d+$/, '$1'),
    })),
  });
}

function SetsEditor({
  treatmentCentreId,
  therapyCode,
  stored,
  sites,
  editable,
  onSaved,
}: {
  treatmentCentreId: string;
  therapyCode: string;
  stored: NetworkConfig['preferredSiteSets'];
  sites: readonly SchedulingSite[];
  editable: boolean;
  onSaved: () => void;
}) {
  const [drafts, setDrafts] = useState<Draft[]>(() =>
    [...stored]
      .sort((a, b) => a.rank - b.rank)
      .map(({ collectionSiteIds, plantIds, infusionSiteIds }) => ({
        collectionSiteIds,
        plantIds,
        infusionSiteIds,
      })),
  );
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState(false);
  const form = useFormSubmit(FIELDS);
  const edit = (next: Draft[]) => {
    setSaved(false);
    setDrafts(next);
  };
  const move = (from: number, to: number) => {
    const next = [...drafts];
    const [moved] = next.splice(from, 1);
    if (moved) next.splice(to, 0, moved);
    edit(next);
  };
  const optionsOf = (kinds: string[]) =>
    sites
      .filter((site) => kinds.includes(site.kind))
      .map((site) => ({ value: site.id, label: siteLabel(site.id) }))
      .sort((a, b) => a.label.localeCompare(b.label));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checks: Record<string, string> = {};
    drafts.forEach((draft, i) => {
      for (const { key, label } of LISTS)
        if (draft[key].length === 0)
          checks[`sets.${i}.${key}`] = `Choose at least one of the ${label.toLowerCase()}.`;
    });
    if (reason.trim().length < 3)
      checks.reason = 'Say why the preferred sets change (at least 3 characters).';
    void form.submit(checks, async () => {
      try {
        await savePreferredSiteSets({
          treatmentCentreId,
          therapyCode: therapyCode.trim(),
          sets: drafts.map((draft, i) => ({ rank: i + 1, ...draft })),
          reason: reason.trim(),
        });
      } catch (error) {
        throw byList(error);
      }
      setReason('');
      setSaved(true);
      onSaved();
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Preferred site sets">
      {drafts.length === 0 ? (
        <Text size="sm" mb="sm">
          No preferred site sets for this centre and therapy: the slot finder considers every routed site.
        </Text>
      ) : null}
      <Stack gap="sm">
        {drafts.map((draft, i) => {
          const rank = i + 1;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a set is its rank; the cards are reordered by rank
            <Card key={i} withBorder radius="md" padding="md" component="article" aria-label={`Rank ${rank}`}>
              <Group justify="space-between" mb="xs">
                <Group gap="xs">
                  <Badge variant="light" size="lg" radius="sm">
                    Rank {rank}
                  </Badge>
                  {rank === 1 ? (
                    <Text size="xs" c="dimmed">
                      tried first
                    </Text>
                  ) : null}
                </Group>
                {editable ? (
                  <Group gap={4}>
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Move rank ${rank} up`}
                      disabled={i === 0}
                      onClick={() => move(i, i - 1)}
                    >
                      ↑
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Move rank ${rank} down`}
                      disabled={i === drafts.length - 1}
                      onClick={() => move(i, i + 1)}
                    >
                      ↓
                    </ActionIcon>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => edit(drafts.filter((_, j) => j !== i))}
                    >
                      Remove set
                    </Button>
                  </Group>
                ) : null}
              </Group>
              <SimpleGrid cols={editable ? { base: 1, xl: 3 } : { base: 1, md: 3 }} spacing="md">
                {LISTS.map(({ key, label, kinds }) =>
                  editable ? (
                    <MultiSelect
                      key={key}
                      label={label}
                      data={optionsOf(kinds)}
                      value={draft[key]}
                      onChange={(value) =>
                        edit(drafts.map((entry, j) => (j === i ? { ...entry, [key]: value } : entry)))
                      }
                      searchable
                      placeholder={draft[key].length === 0 ? 'Choose sites' : undefined}
                      error={form.errors[`sets.${i}.${key}`]}
                    />
                  ) : (
                    <div key={key}>
                      <Text size="sm" fw={600}>
                        {label}
                      </Text>
                      {draft[key].map((id) => (
                        <Text size="sm" key={id}>
                          {siteLabel(id)}
                        </Text>
                      ))}
                    </div>
                  ),
                )}
              </SimpleGrid>
              {form.errors[`sets.${i}`] ? (
                <Text size="sm" c="red" mt="xs">
                  {form.errors[`sets.${i}`]}
                </Text>
              ) : null}
            </Card>
          );
        })}
      </Stack>
      {editable ? (
        <>
          <Button
            variant="light"
            mt="sm"
            disabled={drafts.length >= MAX_SETS}
            onClick={() => edit([...drafts, { collectionSiteIds: [], plantIds: [], infusionSiteIds: [] }])}
          >
            Add a set
          </Button>
          {form.errors.sets ? (
            <Text size="sm" c="red" mt="xs">
              {form.errors.sets}
            </Text>
          ) : null}
          <TextInput
            label="Reason"
            description="Recorded in the ledger with the change"
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={form.errors.reason}
            required
            mt="md"
            maw={520}
          />
          {form.alert ? (
            <div style={{ marginTop: 12 }}>
              <ProblemAlert problem={form.alert} action="save the preferred site sets" />
            </div>
          ) : null}
          <Group mt="md">
            <Button type="submit" loading={form.busy}>
              Save preferred sets
            </Button>
            {saved ? (
              <Text size="sm" c="teal" role="status">
                Preferred sets saved.
              </Text>
            ) : null}
          </Group>
        </>
      ) : null}
    </form>
  );
}

/** A treatment centre's ranked preferred site sets per therapy: the slot finder tries rank 1 first. */
export function NetworkSiteSetsPanel({
  network,
  sites,
  editable,
  onSaved,
}: {
  network: NetworkConfig;
  sites: readonly SchedulingSite[];
  editable: boolean;
  onSaved: () => void;
}) {
  const first = network.preferredSiteSets[0];
  const [centreId, setCentreId] = useState(first?.treatmentCentreId ?? '');
  const [therapyCode, setTherapyCode] = useState(first?.therapyCode ?? '');
  const centres = sites
    .filter((site) => site.kind === 'treatment_centre')
    .map((site) => ({ value: site.id, label: siteLabel(site.id) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const codes = [...new Set(network.preferredSiteSets.map((set) => set.therapyCode))].sort();
  // The therapies this centre already has preferred sets for, one click away.
  const configured = [
    ...new Set(
      network.preferredSiteSets
        .filter((set) => set.treatmentCentreId === centreId)
        .map((set) => set.therapyCode),
    ),
  ].sort();
  const stored = network.preferredSiteSets.filter(
    (set) => set.treatmentCentreId === centreId && set.therapyCode === therapyCode.trim(),
  );

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="site-sets-heading">
      <Text component="h2" id="site-sets-heading" fz="h4" fw={650} mb={4}>
        Preferred site sets
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        Per treatment centre and therapy, the ranked combinations of collection site, plant and infusion site
        the slot finder tries first.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" mb="md">
        <Select
          label="Treatment centre"
          placeholder="Choose a treatment centre"
          data={centres}
          value={centreId || null}
          onChange={(value) => setCentreId(value ?? '')}
          searchable
          allowDeselect={false}
        />
        <Autocomplete
          label="Therapy"
          placeholder="Therapy code"
          data={codes}
          value={therapyCode}
          onChange={setTherapyCode}
        />
      </SimpleGrid>
      {configured.length > 0 ? (
        <Group gap="xs" mb="md" role="group" aria-label="Therapies with preferred sets at this centre">
          <Text size="sm" c="dimmed">
            Configured here:
          </Text>
          {configured.map((code) => {
            const current = code === therapyCode.trim();
            return (
              <Button
                key={code}
                size="compact-sm"
                variant={current ? 'light' : 'default'}
                fw={500}
                aria-pressed={current}
                onClick={() => setTherapyCode(code)}
              >
                {code}
              </Button>
            );
          })}
        </Group>
      ) : null}
      {centreId && therapyCode.trim() ? (
        <SetsEditor
          key={`${centreId}:${therapyCode.trim()}`}
          treatmentCentreId={centreId}
          therapyCode={therapyCode}
          stored={stored}
          sites={sites}
          editable={editable}
          onSaved={onSaved}
        />
      ) : (
        <Text size="sm">Choose a treatment centre and a therapy to see their preferred sets.</Text>
      )}
    </Paper>
  );
}
