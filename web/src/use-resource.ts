import { useCallback, useEffect, useState } from 'react';
import { type ProblemDetail, problemOf } from './api-client.ts';

export type ResourceState<T> =
  | { status: 'loading' }
  | { status: 'error'; problem: ProblemDetail }
  | { status: 'success'; data: T };

/** Loads a resource once on mount (and on `reload`), aborting the request if the component goes away. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>): {
  state: ResourceState<T>;
  reload: () => void;
} {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the trigger for reloading.
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'success', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', problem: problemOf(error) });
      },
    );
    return () => controller.abort();
  }, [load, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}
