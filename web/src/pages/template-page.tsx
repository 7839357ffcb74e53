import { Button, Group, Text } from '@mantine/core';
import { useCallback } from 'react';
import { Link, useParams } from 'react-router-dom';
import { BackLink } from '../back-link.tsx';
import { EmptyStateCard } from '../empty-state-card.tsx';
import { PageHeader } from '../page-header.tsx';
import { LoadFailed, LoadingRows } from '../resource-view.tsx';
import { TemplateStatusBadge } from '../status-badges.tsx';
import { OverridesTable } from '../therapy/overrides-table.tsx';
import { TemplatePublication } from '../therapy/publish-template.tsx';
import { TemplateFlow } from '../therapy/template-flow.tsx';
import { comparePath } from '../therapy/template-table.tsx';
import { fetchTemplate } from '../therapy/therapy-api.ts';
import { therapyTypeLabel } from '../therapy/therapy-labels.ts';
import { useResource } from '../use-resource.ts';

/** One version of a therapy template, drawn as a flow of stages and steps. */
export function TemplatePage() {
  const { code = '', version = '' } = useParams();
  const number = Number(version);
  const load = useCallback((signal: AbortSignal) => fetchTemplate(code, number, signal), [code, number]);
  const { state, reload } = useResource(load);

  const back = <BackLink to="/therapy" label="All therapy programmes" />;
  if (!Number.isInteger(number) || number < 1)
    return (
      <>
        {back}
        <EmptyStateCard title="No such version" description={`“${version}” is not a version number.`} />
      </>
    );
  if (state.status === 'loading')
    return (
      <>
        {back}
        <LoadingRows label="Loading the template" height={120} />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        {back}
        <PageHeader title={`${code} v${version}`} purpose="A therapy programme template." />
        <LoadFailed problem={state.problem} action="load the template" onRetry={reload} />
      </>
    );

  const template = state.data;
  return (
    <>
      {back}
      <PageHeader
        title={`${template.title} · v${template.version}`}
        purpose={`${therapyTypeLabel(template.therapyType)}: who does each step, what they record, which gates hold it, when it is due and how long may pass before the next.`}
      />
      <Group gap="sm" mb="lg">
        <TemplateStatusBadge status={template.status} />
        <Text size="sm" c="dimmed" ff="monospace">
          {template.code}
        </Text>
        {template.version > 1 ? (
          <Button
            component={Link}
            to={comparePath(template.code, template.version - 1, template.version)}
            size="xs"
            variant="default"
          >
            Compare with v{template.version - 1}
          </Button>
        ) : null}
      </Group>
      <TemplatePublication template={template} onPublished={reload} />
      <TemplateFlow document={template.document} />
      <OverridesTable overrides={template.document.overrides ?? []} />
    </>
  );
}
