import { Badge } from '@mantine/core';
import { humanise } from './therapy/therapy-labels.ts';

const templateColours: Record<string, string> = { draft: 'yellow', published: 'teal', retired: 'gray' };

/** Draft, published or retired: the state of one template version. */
export function TemplateStatusBadge({ status }: { status: string }) {
  return (
    <Badge color={templateColours[status] ?? 'gray'} variant="light">
      {humanise(status)}
    </Badge>
  );
}

const caseColours: Record<string, string> = {
  active: 'teal',
  on_hold: 'yellow',
  quarantined: 'orange',
  completed: 'blue',
  cancelled: 'gray',
  closed: 'gray',
};

/** Active, on hold, quarantined, completed, cancelled or closed. */
export function CaseStatusBadge({ status, size = 'md' }: { status: string; size?: 'md' | 'lg' }) {
  return (
    <Badge
      color={caseColours[status] ?? 'gray'}
      variant="light"
      size={size}
      styles={{ label: { overflow: 'visible' } }}
    >
      {humanise(status)}
    </Badge>
  );
}

/** "Overdue" in red, so the word and not only the colour says it. */
export function OverdueBadge() {
  return (
    <Badge color="red" variant="filled">
      Overdue
    </Badge>
  );
}
