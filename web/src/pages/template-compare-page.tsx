import { Button, Group, List, Paper, Select, Text } from '@mantine/core';
import { type FormEvent, useCallback, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { BackLink } from '../back-link.tsx';
import { EmptyStateCard } from '../empty-state-card.tsx';
import { PageHeader } from '../page-header.tsx';
import { LoadFailed, LoadingRows, ResourceView } from '../resource-view.tsx';
import { fetchTemplateDifferences, fetchTemplates, type TemplateSummary } from '../therapy/therapy-api.ts';
import { useResource } from '../use-resource.ts';

function Differences({ code, from, to }: { code: string; from: number; to: number }) {
  const load = useCallback(
    (signal: AbortSignal) => fetchTemplateDifferences(code, from, to, signal),
    [code, from, to],
  );
  const { state, reload } = useResource(load);
  return (
    <section aria-labelledby="differences-heading">
      <Text component="h2" id="differences-heading" fz="h4" fw={650} mb="sm">
        What changed from v{from} to v{to}
      </Text>
      <ResourceView
        state={state}
        reload={reload}
        what="the differences"
        empty={{
          title: 'No differences',
          description: `v${from} and v${to} describe the same programme.`,
        }}
      >
        {(differences) => (
          <Paper withBorder radius="md" p="md">
            <List spacing="xs" size="sm">
              {differences.map((difference, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: differences have no identity but their order.
                <List.Item key={index}>{difference.description}</List.Item>
              ))}
            </List>
          </Paper>
        )}
      </ResourceView>
    </section>
  );
}

function VersionPicker({
  versions,
  from,
  to,
  onCompare,
}: {
  versions: TemplateSummary[];
  from: number | null;
  to: number | null;
  onCompare: (from: number, to: number) => void;
}) {
  const options = versions.map((v) => ({ value: String(v.version), label: `v${v.version} (${v.status})` }));
  const [draftFrom, setDraftFrom] = useState<string | null>(
    from ? String(from) : (options[1]?.value ?? null),
  );
  const [draftTo, setDraftTo] = useState<string | null>(to ? String(to) : (options[0]?.value ?? null));
  const same = draftFrom !== null && draftFrom === draftTo;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draftFrom && draftTo && !same) onCompare(Number(draftFrom), Number(draftTo));
  };
  return (
    <Paper
      component="form"
      withBorder
      radius="md"
      p="md"
      mb="lg"
      onSubmit={submit}
      aria-label="Pick two versions"
    >
      <Group align="flex-end" gap="md">
        <Select
          label="From version"
          data={options}
          value={draftFrom}
          onChange={setDraftFrom}
          allowDeselect={false}
          w={200}
        />
        <Select
          label="To version"
          data={options}
          value={draftTo}
          onChange={setDraftTo}
          allowDeselect={false}
          w={200}
          error={same ? 'Pick a different version' : undefined}
        />
        <Button type="submit" disabled={!draftFrom || !draftTo || same}>
          Compare
        </Button>
      </Group>
    </Paper>
  );
}

/** Pick two versions of one template and see what changed between them. */
export function TemplateComparePage() {
  const { code = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const from = Number(params.get('from')) || null;
  const to = Number(params.get('to')) || null;
  const { state, reload } = useResource(fetchTemplates);

  const back = <BackLink to="/therapy" label="All therapy programmes" />;
  if (state.status === 'loading')
    return (
      <>
        {back}
        <LoadingRows label="Loading the versions" />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        {back}
        <LoadFailed problem={state.problem} action="load the versions" onRetry={reload} />
      </>
    );
  const versions = state.data.filter((t) => t.code === code).sort((a, b) => b.version - a.version);
  const title = versions[0]?.title ?? code;
  return (
    <>
      {back}
      <PageHeader
        title={`Compare versions · ${title}`}
        purpose="A running case stays on the version it started with; see what a newer version changes before it is used."
      />
      {versions.length < 2 ? (
        <EmptyStateCard
          title="Only one version"
          description="There is nothing to compare until a second version of this programme exists."
        />
      ) : (
        <>
          <VersionPicker
            versions={versions}
            from={from}
            to={to}
            onCompare={(nextFrom, nextTo) => setParams({ from: String(nextFrom), to: String(nextTo) })}
          />
          {from && to ? (
            <Differences code={code} from={from} to={to} />
          ) : (
            <Text size="sm" c="dimmed">
              Pick two versions and choose Compare.
            </Text>
          )}
        </>
      )}
    </>
  );
}
