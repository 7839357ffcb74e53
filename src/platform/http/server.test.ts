import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { z } from 'zod';
import { describeEachDatabase } from '../../../test/support/test-databases.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { createLogger } from '../logger.ts';
import { buildServer } from './server.ts';

describeEachDatabase('HTTP platform', (target) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(target, { demo: true });
  });
  after(() => server.close());

  test('/health says the process is alive', async () => {
    const response = await fetch(`${server.url}/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'alive' });
  });

  test('/ready reports the database kind and that every migration is applied', async () => {
    const response = await fetch(`${server.url}/ready`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; database: string; migrations: number };
    assert.equal(body.status, 'ready');
    assert.equal(body.database, target.kind);
    assert.ok(body.migrations >= 1);
  });

  test('/api/openapi.json is a valid OpenAPI 3.1 document describing the routes', async () => {
    const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    assert.equal(document.openapi, '3.1.0');
    const result = await new Validator().validate(document as never);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    for (const path of ['/health', '/ready', '/api/network/summary']) assert.ok(document.paths[path], path);
  });

  test('/api/docs serves the browsable API documentation', async () => {
    const response = await fetch(`${server.url}/api/docs/`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /swagger-ui/i);
  });

  test('the demo network is served: a sponsor, three treatment centres, a collection centre, two plants, a courier', async () => {
    const body = (await (await fetch(`${server.url}/api/network/summary`)).json()) as {
      counts: Record<string, number>;
    };
    assert.deepEqual(body.counts, {
      sponsor: 1,
      treatment_centre: 3,
      collection_centre: 1,
      manufacturing_site: 2,
      courier: 1,
    });
    const filtered = (await (await fetch(`${server.url}/api/network/summary?type=courier`)).json()) as {
      partners: Array<{ name: string }>;
    };
    assert.deepEqual(
      filtered.partners.map((p) => p.name),
      ['ColdPath Cryogenic Logistics'],
    );
  });

  test('an invalid query value is a 422 problem naming the field and the reason', async () => {
    const response = await fetch(`${server.url}/api/network/summary?type=hospital`);
    assert.equal(response.status, 422);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = (await response.json()) as {
      status: number;
      errors: Array<{ field: string; reason: string }>;
    };
    assert.equal(problem.status, 422);
    assert.equal(problem.errors[0]?.field, 'querystring.type');
    assert.match(problem.errors[0]?.reason ?? '', /sponsor/);
  });

  test('an unknown API path is a 404 problem document, never the web page', async () => {
    const response = await fetch(`${server.url}/api/no-such-thing`, { headers: { accept: 'text/html' } });
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  });

  test('every response carries a request id; a sane caller id is kept, a hostile one replaced', async () => {
    const kept = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'trace-42.a' } });
    assert.equal(kept.headers.get('x-request-id'), 'trace-42.a');
    const replaced = await fetch(`${server.url}/health`, { headers: { 'x-request-id': '<script>' } });
    assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});

describeEachDatabase('request validation and errors', (target) => {
  test('body validation, malformed JSON and server faults all answer as problem details', async () => {
    const fresh = await target.create();
    const database = await fresh.open();
    const { app } = await buildServer({ database, logger: createLogger('silent'), expectedMigrations: 0 });
    // A throwaway route, to exercise the error mapping exactly as a capability's route would.
    app.post(
      '/api/test/echo',
      {
        config: { access: { public: true, why: 'test' } },
        schema: { body: z.object({ name: z.string().min(1), doses: z.number().int().positive() }) },
      },
      async (request) => request.body,
    );
    app.get('/api/test/fault', { config: { access: { public: true, why: 'test' } } }, async () => {
      throw new Error('secret internal detail');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      const post = (body: string) =>
        fetch(`${url}/api/test/echo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });

      const invalid = await post(JSON.stringify({ name: '', doses: -1 }));
      assert.equal(invalid.status, 422);
      const problem = (await invalid.json()) as { errors: Array<{ field: string }> };
      assert.deepEqual(problem.errors.map((e) => e.field).sort(), ['body.doses', 'body.name']);

      const missing = (await (await post('{}')).json()) as { errors: Array<{ field: string }> };
      assert.deepEqual(missing.errors.map((e) => e.field).sort(), ['body.doses', 'body.name']);

      const malformed = await post('{"name": ');
      assert.equal(malformed.status, 400);
      assert.match(((await malformed.json()) as { detail: string }).detail, /not valid JSON/);

      const ok = await post(JSON.stringify({ name: 'x', doses: 2 }));
      assert.equal(ok.status, 200);

      const fault = await fetch(`${url}/api/test/fault`);
      assert.equal(fault.status, 500);
      const text = await fault.text();
      assert.ok(!text.includes('secret internal detail'), 'internal error messages never reach a client');
    } finally {
      await app.close();
      await database.close();
      await fresh.drop();
    }
  });

  test('a route that declares no access is refused when the server is built', async () => {
    const fresh = await target.create();
    const database = await fresh.open();
    const { app } = await buildServer({ database, logger: createLogger('silent'), expectedMigrations: 0 });
    try {
      assert.throws(() => app.get('/api/test/undeclared', async () => 'open'), /declares no access/);
    } finally {
      await app.close();
      await database.close();
      await fresh.drop();
    }
  });
});
