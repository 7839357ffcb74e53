import type { ProblemDetail } from './api-client.ts';

export type FieldErrors = Record<string, string>;

/** `body.newPassword` → `newPassword`: the server names fields by where they were in the request. */
function fieldName(field: string): string {
  return field.replace(/^(body|query|querystring|params)\./, '');
}

/** "must not be empty" → "Must not be empty"; a reason that starts with a code ("fhir:read is…") is left as it is. */
function sentence(reason: string): string {
  return /^[a-z]+(\s|$)/.test(reason) ? reason.charAt(0).toUpperCase() + reason.slice(1) : reason;
}

/**
 * Splits a problem into the errors this form can show next to its own fields, and what is left to show
 * as an alert: the whole problem when it names no field of the form, or just the fields it does not know.
 */
export function splitProblem(
  problem: ProblemDetail | null,
  formFields: readonly string[],
): { fieldErrors: FieldErrors; alert: ProblemDetail | null } {
  if (!problem) return { fieldErrors: {}, alert: null };
  const fieldErrors: FieldErrors = {};
  const unknown: string[] = [];
  for (const error of problem.errors ?? []) {
    const name = fieldName(error.field);
    if (formFields.includes(name)) {
      fieldErrors[name] = fieldErrors[name]
        ? `${fieldErrors[name]}; ${error.reason}`
        : sentence(error.reason);
    } else {
      unknown.push(`${name}: ${error.reason}`);
    }
  }
  if (Object.keys(fieldErrors).length === 0) return { fieldErrors, alert: problem };
  if (unknown.length === 0) return { fieldErrors, alert: null };
  return { fieldErrors, alert: { ...problem, detail: unknown.join('; ') } };
}
