import { Badge, Group, List, Paper, Stack, Text } from '@mantine/core';
import { partnerTypeLabel } from '../partner-types.ts';
import { roleLabel } from '../roles.ts';
import type { FieldDefinition, StepDefinition, TaskDefinition } from './therapy-api.ts';
import { durationLabel, humanise, leadTimeLabel } from './therapy-labels.ts';

/** "Volume (number, mL)", "Consent date (date, optional)". */
export function fieldSummary(field: FieldDefinition): string {
  const details: string[] = [field.type === 'number' ? `number, ${field.unit}` : field.type];
  if (field.type === 'choice') details.push(field.options.join(' / '));
  if (field.required === false) details.push('optional');
  return `${field.label} (${details.join(', ')})`;
}

function TaskItem({ task, step }: { task: TaskDefinition; step: StepDefinition }) {
  const byOther = task.role && task.role !== step.role ? roleLabel(task.role) : null;
  return (
    <List.Item>
      <Text size="sm" fw={500}>
        {task.title}
        {byOther ? (
          <Text span size="xs" c="dimmed">
            {' '}
            · by {byOther}
          </Text>
        ) : null}
      </Text>
      {task.fields && task.fields.length > 0 ? (
        <Text size="xs" c="dimmed">
          Records: {task.fields.map(fieldSummary).join('; ')}
        </Text>
      ) : null}
    </List.Item>
  );
}

function GateBadges({ step }: { step: StepDefinition }) {
  const gates = step.gates;
  const signatures = gates?.signatures;
  const approvals = gates?.approvals ?? [];
  if (!signatures?.count && approvals.length === 0 && !gates?.custodyComplete) return null;
  return (
    <Stack gap={4}>
      {signatures && signatures.count > 0 ? (
        <Text size="xs">
          <Badge size="sm" color="grape" variant="light" mr={6}>
            {signatures.count} signature{signatures.count === 1 ? '' : 's'}
          </Badge>
          {signatures.mode} by {signatures.signerRoles.map(roleLabel).join(', then ')} — “{signatures.meaning}
          ”
        </Text>
      ) : null}
      {approvals.map((approval) => (
        <Text size="xs" key={approval.role}>
          <Badge size="sm" color="indigo" variant="light" mr={6}>
            {approval.count ?? 1} approval{(approval.count ?? 1) === 1 ? '' : 's'}
          </Badge>
          by {roleLabel(approval.role)}
        </Text>
      ))}
      {gates?.custodyComplete ? (
        <Text size="xs">
          <Badge size="sm" color="cyan" variant="light" mr={6}>
            Custody
          </Badge>
          hand-off must be confirmed
        </Text>
      ) : null}
    </Stack>
  );
}

function DueText({ step }: { step: StepDefinition }) {
  if (!step.due) return null;
  const escalations = step.due.escalations ?? [];
  return (
    <Text size="xs">
      <Text span fw={600} size="xs">
        Due
      </Text>{' '}
      {durationLabel(step.due.after)} after it opens
      {escalations.map((rule) => (
        <Text span size="xs" key={`${rule.toRole}-${JSON.stringify(rule.after)}`}>
          ; escalates to {roleLabel(rule.toRole)} {durationLabel(rule.after)} later
          {rule.repeatEvery
            ? ` (again every ${durationLabel(rule.repeatEvery)}, up to ${rule.maxRepeats ?? 0} more times)`
            : ''}
        </Text>
      ))}
    </Text>
  );
}

interface StepCardProps {
  step: StepDefinition;
  /** Titles of every step, to name the targets of lead times and branches. */
  stepTitles: ReadonlyMap<string, string>;
}

/** One step of a template: who does it, its tasks and fields, its gates, due time and lead times. */
export function StepCard({ step, stepTitles }: StepCardProps) {
  const titleOf = (key: string) => stepTitles.get(key) ?? key;
  const exceptions = step.exceptions ?? [];
  return (
    <Paper withBorder radius="md" p="sm" className="flow-step" data-step-key={step.key} component="article">
      <Stack gap="xs">
        <div>
          <Text fw={650} size="sm" component="h4" m={0}>
            {step.title}
          </Text>
          <Text size="xs" c="dimmed">
            {partnerTypeLabel(step.partnerType)} · {roleLabel(step.role)}
          </Text>
        </div>
        <List size="sm" spacing={4} type="ordered" aria-label={`Tasks of ${step.title}`}>
          {step.tasks.map((task) => (
            <TaskItem key={task.key} task={task} step={step} />
          ))}
        </List>
        <GateBadges step={step} />
        <DueText step={step} />
        {(step.leadTimes ?? []).map((lead) => (
          <Text size="xs" key={lead.toStep} className="flow-lead-time">
            <Text span fw={600} size="xs">
              Lead time
            </Text>{' '}
            to {titleOf(lead.toStep)}: {leadTimeLabel(lead.min, lead.max, lead.unit)}
          </Text>
        ))}
        {step.next && step.next.length > 0 ? (
          <Text size="xs" c="dimmed">
            Then: {step.next.map(titleOf).join(' and ')}
          </Text>
        ) : null}
        {step.join === 'all' ? (
          <Text size="xs" c="dimmed">
            Opens when every step before it is complete
          </Text>
        ) : null}
        {exceptions.length > 0 ? (
          <details className="flow-exceptions">
            <summary>
              <Text span size="xs" fw={600}>
                {exceptions.length} exception path{exceptions.length === 1 ? '' : 's'}
              </Text>
            </summary>
            <List size="xs" spacing={2} mt={4}>
              {exceptions.map((exception) => (
                <List.Item key={exception.code}>
                  <Text size="xs">
                    {humanise(exception.code)}
                    {exception.quarantine ? ' (quarantines the case)' : ''} →{' '}
                    {exception.branches
                      .map((branch) =>
                        branch.toStep ? `${branch.title} (${titleOf(branch.toStep)})` : branch.title,
                      )
                      .join(' / ')}
                  </Text>
                </List.Item>
              ))}
            </List>
          </details>
        ) : null}
        <Group gap={4}>
          <Text size="xs" c="dimmed" ff="monospace">
            {step.key}
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
}
