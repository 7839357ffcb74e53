import { fetchJson, sendJson } from '../api-client.ts';

export interface WorkTask {
  caseId: string;
  patientLabel: string;
  therapyType: string;
  step: string;
  stepTitle: string;
  taskKey: string;
  taskTitle: string;
  dueAt: string | null;
  overdue: boolean;
  claimedBy: { userId: string; name: string } | null;
}

export async function fetchWork(signal?: AbortSignal): Promise<WorkTask[]> {
  const body = await fetchJson<{ tasks: WorkTask[] }>('/api/work', { signal });
  return body.tasks;
}

function taskPath(task: WorkTask): string {
  return ['/api/work', task.caseId, task.step, task.taskKey]
    .map((part, index) => (index === 0 ? part : encodeURIComponent(part)))
    .join('/');
}

export function claimTask(task: WorkTask): Promise<unknown> {
  return sendJson<unknown>('POST', `${taskPath(task)}/claim`);
}

/** Soonest due first; tasks without a due time last. */
export function bySoonestDue(a: WorkTask, b: WorkTask): number {
  if (a.dueAt === b.dueAt) return 0;
  if (a.dueAt === null) return 1;
  if (b.dueAt === null) return -1;
  return a.dueAt < b.dueAt ? -1 : 1;
}
