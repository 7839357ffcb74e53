import { useState } from 'react';
import { type ProblemDetail, problemOf } from './api-client.ts';
import { type FieldErrors, splitProblem } from './form-problem.ts';

/**
 * What a form that sends one request keeps track of: what it found missing before sending, whether the
 * request is under way, and the server's problem, split into errors next to `fields` and an alert.
 */
export function useFormSubmit(fields: readonly string[]) {
  const [missing, setMissing] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const { fieldErrors, alert } = splitProblem(problem, fields);

  /** Sends unless `checks` found something to fix first; a failed request is kept to show, not thrown. */
  const submit = async (checks: FieldErrors, send: () => Promise<void>) => {
    setMissing(checks);
    if (Object.keys(checks).length > 0) return;
    setBusy(true);
    setProblem(null);
    try {
      await send();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  /** Forgets earlier errors, e.g. when the form starts again from blank. */
  const reset = () => {
    setMissing({});
    setProblem(null);
  };

  return { errors: { ...fieldErrors, ...missing }, alert, busy, submit, reset };
}
