/**
 * Errors leave the API as RFC 9457 problem details. `errors` lists each offending field with the
 * reason, so a client (or a person reading a log) knows exactly what to fix.
 */
export type FieldError = { field: string; reason: string };

export type ProblemDocument = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Invalid input',
  423: 'Locked',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(
    status: number,
    detail: string,
    options: {
      title?: string;
      type?: string;
      errors?: FieldError[];
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(detail);
    this.status = status;
    this.title = options.title ?? TITLES[status] ?? 'Error';
    this.type = options.type ?? 'about:blank';
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
  }

  toDocument(instance: string, requestId: string): ProblemDocument {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.message,
      instance,
      requestId,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

export const invalidInput = (errors: FieldError[]) =>
  new HttpProblem(422, errors.map((e) => `${e.field}: ${e.reason}`).join('; '), { errors });

export const notFound = (what = 'The requested resource') =>
  new HttpProblem(404, `${what} does not exist or is not visible to you.`);

export const problemSchemaExample: ProblemDocument = {
  type: 'about:blank',
  title: 'Invalid input',
  status: 422,
  detail: 'body.name: must not be empty',
  errors: [{ field: 'body.name', reason: 'must not be empty' }],
};
