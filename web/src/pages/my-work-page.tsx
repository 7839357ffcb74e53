import { useState } from 'react';
import { DoneNotice } from '../admin/done-notice.tsx';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { useSession } from '../auth/session-context.ts';
import { PageHeader } from '../page-header.tsx';
import { ProblemAlert } from '../problem-alert.tsx';
import { ResourceView } from '../resource-view.tsx';
import { myWorkScreen } from '../screens.ts';
import { useResource } from '../use-resource.ts';
import { bySoonestDue, claimTask, fetchWork, type WorkTask } from '../work/work-api.ts';
import { WorkTable, workTaskId } from '../work/work-table.tsx';

/** The tasks for the caller's roles and organisation, soonest due first; claim one, or open its case. */
export function MyWorkPage() {
  const { me } = useSession();
  const { state, reload } = useResource(fetchWork);
  const [claiming, setClaiming] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const claim = async (task: WorkTask) => {
    setClaiming(workTaskId(task));
    setProblem(null);
    setDone(null);
    try {
      await claimTask(task);
      setDone(`You claimed “${task.taskTitle}” for ${task.patientLabel}.`);
      reload();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setClaiming(null);
    }
  };

  return (
    <>
      <PageHeader title={myWorkScreen.title} purpose={myWorkScreen.purpose} />
      <DoneNotice message={done} onClose={() => setDone(null)} />
      {problem ? <ProblemAlert problem={problem} action="claim the task" /> : null}
      <ResourceView state={state} reload={reload} what="your tasks" empty={myWorkScreen.empty}>
        {(tasks) => (
          <WorkTable
            tasks={[...tasks].sort(bySoonestDue)}
            myUserId={me?.id ?? null}
            claiming={claiming}
            onClaim={claim}
          />
        )}
      </ResourceView>
    </>
  );
}
