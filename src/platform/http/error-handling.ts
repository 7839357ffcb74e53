import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { type FieldError, HttpProblem } from './problem.ts';

function fieldErrorsOf(error: FastifyError & { validation: unknown[] }): FieldError[] {
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  return (error.validation as Array<{ instancePath: string; message?: string }>).map((item) => {
    const pathInside = item.instancePath.split('/').filter(Boolean).join('.');
    return { field: pathInside ? `${context}.${pathInside}` : context, reason: item.message ?? 'is invalid' };
  });
}

/** Maps every error, ours or Fastify's, onto a problem document; internals never leak to a client. */
export function toProblem(error: FastifyError | Error): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = fieldErrorsOf(error);
    return new HttpProblem(422, errors.map((e) => `${e.field}: ${e.reason}`).join('; '), { errors });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const errors = fieldErrorsOf(fastifyError as FastifyError & { validation: unknown[] });
    return new HttpProblem(422, errors.map((e) => `${e.field}: ${e.reason}`).join('; '), { errors });
  }
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError)
    return new HttpProblem(400, 'The request body is not valid JSON.', {
      errors: [{ field: 'body', reason: 'is not valid JSON' }],
    });
  if (fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return new HttpProblem(400, 'The request declares a JSON body but sends none.', {
      errors: [{ field: 'body', reason: 'is empty' }],
    });
  if (isResponseSerializationError(error))
    return new HttpProblem(500, 'The server produced an invalid response.');
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) return new HttpProblem(status, error.message);
  return new HttpProblem(500, 'Something went wrong on our side. The request id identifies it in the logs.');
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: HttpProblem) {
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send(problem.toDocument(request.url, String(request.id)));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, problem);
  });
}
