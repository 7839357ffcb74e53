import { Grid, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useParams } from 'react-router-dom';
import { DoneNotice } from '../admin/done-notice.tsx';
import { useSession } from '../auth/session-context.ts';
import { BackLink } from '../back-link.tsx';
import { CaseHeader } from '../cases/case-header.tsx';
import { CaseTimeline } from '../cases/case-timeline.tsx';
import { type CaseDetail, fetchCase, type OpenStep } from '../cases/cases-api.ts';
import { OpenStepCard } from '../cases/open-step-card.tsx';
import { TaskFormModal, type TaskToComplete } from '../cases/task-form-modal.tsx';
import { CaseCustodyLink } from '../custody/case-custody-link.tsx';
import { PageHeader } from '../page-header.tsx';
import { LoadFailed, LoadingRows } from '../resource-view.tsx';
import { CaseSchedulingLink } from '../scheduling/case-scheduling-link.tsx';
import { casesScreen } from '../screens.ts';
import { type FieldDefinition, fetchTemplate, type TemplateDocument } from '../therapy/therapy-api.ts';
import { useResource } from '../use-resource.ts';

async function loadCase(id: string, signal: AbortSignal) {
  const detail = await fetchCase(id, signal);
  // The template gives each task's own fields with their limits; the case still works without it.
  const document = await fetchTemplate(detail.case.templateCode, detail.case.templateVersion, signal).then(
    (template) => template.document,
    () => null,
  );
  return { detail, document };
}

/** The fields of one task: from the template when it could be loaded, else from what the step waits for. */
function fieldsOf(document: TemplateDocument | null, step: OpenStep, taskKey: string): FieldDefinition[] {
  const definition = document?.stages
    .flatMap((stage) => stage.steps)
    .find((candidate) => candidate.key === step.key)
    ?.tasks.find((task) => task.key === taskKey);
  if (definition) return definition.fields ?? [];
  return step.waitingFor.fields
    .filter((field) => field.task === undefined || field.task === taskKey)
    .map(
      (field): FieldDefinition =>
        field.type === 'number'
          ? {
              key: field.key,
              label: field.label,
              required: field.required,
              type: 'number',
              unit: field.unit ?? '',
            }
          : ['date', 'datetime', 'boolean'].includes(field.type)
            ? ({
                key: field.key,
                label: field.label,
                required: field.required,
                type: field.type,
              } as FieldDefinition)
            : { key: field.key, label: field.label, required: field.required, type: 'text' },
    );
}

/** One case: where it is stuck, its open steps and what each waits for, and every event. */
export function CasePage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const load = useCallback((signal: AbortSignal) => loadCase(id, signal), [id]);
  const { state, reload } = useResource(load);
  const [updated, setUpdated] = useState<CaseDetail | null>(null);
  const [working, setWorking] = useState<TaskToComplete | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const back = <BackLink to={casesScreen.path} label="All cases" />;
  if (state.status === 'loading')
    return (
      <>
        {back}
        <LoadingRows label="Loading the case" height={80} />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        {back}
        <PageHeader title="Case" purpose="One patient's case, vein to vein." />
        <LoadFailed problem={state.problem} action="load the case" onRetry={reload} />
      </>
    );

  const detail = updated && updated.case.id === state.data.detail.case.id ? updated : state.data.detail;
  const { document } = state.data;
  const accepting = detail.case.status === 'active';

  return (
    <>
      {back}
      <PageHeader
        title={detail.case.patientLabel}
        purpose="Where the case is, what each open step waits for, and everything that happened to it."
      />
      <CaseHeader detail={detail} />
      <CaseCustodyLink caseId={detail.case.id} />
      <CaseSchedulingLink caseId={detail.case.id} />
      <DoneNotice message={done} onClose={() => setDone(null)} />
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <section aria-labelledby="open-steps-heading">
            <Text component="h2" id="open-steps-heading" fz="h4" fw={650} mb="sm">
              Open steps
            </Text>
            {detail.openSteps.length === 0 ? (
              <Text size="sm" c="dimmed">
                No step is open.
              </Text>
            ) : (
              <Stack gap="md">
                {detail.openSteps.map((step) => (
                  <OpenStepCard
                    key={step.key}
                    step={step}
                    myRoles={me?.roles ?? []}
                    accepting={accepting}
                    caseId={detail.case.id}
                    {...(me ? { myUserId: me.id } : {})}
                    onSigned={(next) => setUpdated(next)}
                    onComplete={(taskKey) => {
                      const task = step.waitingFor.tasks.find((candidate) => candidate.key === taskKey);
                      setDone(null);
                      setWorking({
                        caseId: detail.case.id,
                        step: { key: step.key, title: step.title },
                        task: { key: taskKey, title: task?.title ?? taskKey },
                        fields: fieldsOf(document, step, taskKey),
                      });
                    }}
                  />
                ))}
              </Stack>
            )}
          </section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <CaseTimeline events={detail.timeline} />
        </Grid.Col>
      </Grid>
      <TaskFormModal
        work={working}
        onClose={() => setWorking(null)}
        onCompleted={(next, title) => {
          setWorking(null);
          setUpdated(next);
          setDone(`“${title}” is done.`);
        }}
      />
    </>
  );
}
