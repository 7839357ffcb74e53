/** One offending input named by a problem detail, e.g. `{ field: 'body.newPassword', reason: 'is too short' }`. */
export interface FieldError {
  field: string;
  reason: string;
}

/** An RFC 9457 problem detail, as returned by the Cellway server with `application/problem+json`. */
export interface ProblemDetail {
  type?: string;
  title: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  /** Extension members, e.g. `lockedUntil` on a 423. */
  [extension: string]: unknown;
}

/** Thrown by {@link fetchJson} when a request fails; carries the server's problem detail when it sent one. */
export class ApiError extends Error {
  readonly problem: ProblemDetail;

  constructor(problem: ProblemDetail) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
}

function isProblemDetail(value: unknown): value is ProblemDetail {
  return (
    typeof value === 'object' && value !== null && typeof (value as { title?: unknown }).title === 'string'
  );
}

async function problemFrom(response: Response): Promise<ProblemDetail> {
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('json')) {
    try {
      const body: unknown = await response.json();
      if (isProblemDetail(body)) return { ...body, status: body.status ?? response.status };
    } catch {
      // Fall through to a generic description of the failure.
    }
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return {
      title: 'Server unavailable',
      status: response.status,
      detail: `The Cellway server did not answer (HTTP ${response.status}). It may be starting or stopped.`,
    };
  }
  return {
    title: response.statusText || 'Request failed',
    status: response.status,
    detail: `The server answered with HTTP ${response.status}.`,
  };
}

/** The problem type of a refused electronic signature (src/signatures/signing-failures.ts). */
const SIGNATURE_REFUSED = 'urn:cellway:problem:signature-refused';

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/**
 * Calls `listener` whenever a request outside `/api/auth/` is refused with HTTP 401, i.e. the session
 * has ended while the app was open. Returns the unsubscribe function.
 */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      title: 'Server unreachable',
      detail: 'Cellway could not reach its server. Check your connection and try again.',
    });
  }
  if (!response.ok) {
    const problem = await problemFrom(response);
    // A refused electronic signature (wrong password at signing) is a 401 too, but the session is fine.
    if (response.status === 401 && !path.startsWith('/api/auth/') && problem.type !== SIGNATURE_REFUSED) {
      for (const listener of unauthorizedListeners) listener();
    }
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError({
      title: 'Unexpected response',
      status: response.status,
      detail: 'The server answered with something that is not JSON.',
    });
  }
}

/**
 * GET a JSON resource. Resolves with the parsed body on 2xx; rejects with an {@link ApiError}
 * carrying the problem detail otherwise, or a synthetic one when the server cannot be reached.
 */
export function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  return request<T>(path, init);
}

/**
 * POST or PATCH a JSON body. Always sends `content-type: application/json` and a body (`{}` when there
 * is nothing to say), since the server refuses an empty JSON body. Resolves with `undefined` on 204.
 */
export function sendJson<T>(
  method: 'POST' | 'PATCH' | 'PUT',
  path: string,
  body: object = {},
  signal?: AbortSignal,
): Promise<T> {
  return request<T>(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}

/** Builds `path?query` from the defined, non-empty values of `params`. */
export function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** The problem detail to show for any error thrown by {@link fetchJson}. */
export function problemOf(error: unknown): ProblemDetail {
  if (error instanceof ApiError) return error.problem;
  return { title: 'Something went wrong', detail: error instanceof Error ? error.message : String(error) };
}
