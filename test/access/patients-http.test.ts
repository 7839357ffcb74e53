import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../support/test-databases.ts';
import {
  type AccessTestServer,
  call,
  sessionCookieFor,
  snapshot,
  startAccessTestServer,
} from './access-test-server.ts';

describeEachDatabase('patients: partner scoping and the PHI access log', (target) => {
  let server: AccessTestServer;
  let ids: Record<string, string>;
  before(async () => {
    server = await startAccessTestServer(target);
    const rows = await server.database.db.selectFrom('patients').select(['id', 'family_name']).execute();
    ids = Object.fromEntries(rows.map((row) => [row.family_name, row.id]));
  });
  after(() => server.close());

  const names = async (email: string) => {
    const response = await call(server, 'GET', '/api/patients', {
      cookie: await sessionCookieFor(server, email),
    });
    return response.status === 200
      ? response.body.patients.map((p: { familyName: string }) => p.familyName)
      : response.status;
  };

  test('each actor sees exactly the patients in their scope', async () => {
    assert.deepEqual(await names('coordinator@aurora.example'), ['Brooks', 'Morel', 'Schulz', 'Weber']);
    assert.deepEqual(await names('inspector@aurora.example'), ['Brooks', 'Morel', 'Schulz', 'Weber']);
    assert.deepEqual(await names('nurse@st-elisabeth.example'), ['Schulz', 'Weber']);
    assert.deepEqual(await names('centre.coordinator@lakeside.example'), ['Brooks']);
    assert.deepEqual(await names('patient@mail.example'), ['Weber']);
    assert.deepEqual(await names('provider@st-elisabeth.example'), ['Schulz', 'Weber']);
    // Patient identity is never shown to the supply chain, nor to account administrators.
    for (const email of [
      'courier@coldpath.example',
      'qa@aurora-leiden.example',
      'lab@aurora-leiden.example',
      'admin@aurora.example',
    ])
      assert.equal(await names(email), 403, email);
  });

  test('a patient outside the scope is 404, exactly like one that does not exist', async () => {
    const nurse = await sessionCookieFor(server, 'nurse@st-elisabeth.example');
    const before = await snapshot(server.database);
    const outside = await call(server, 'GET', `/api/patients/${ids.Brooks}`, { cookie: nurse });
    const missing = await call(server, 'GET', '/api/patients/00000000-0000-4000-8000-000000000000', {
      cookie: nurse,
    });
    assert.equal(outside.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(outside.body.detail, missing.body.detail);
    assert.deepEqual(await snapshot(server.database), before, 'nothing is logged for a patient not shown');
    const patient = await call(server, 'GET', `/api/patients/${ids.Weber}`, {
      cookie: await sessionCookieFor(server, 'patient@mail.example'),
    });
    assert.equal(patient.status, 200);
    assert.equal(
      (
        await call(server, 'GET', `/api/patients/${ids.Schulz}`, {
          cookie: await sessionCookieFor(server, 'patient@mail.example'),
        })
      ).status,
      404,
    );
  });

  test('viewing a patient writes who, which patient, when, the route and the request id to the PHI log', async () => {
    const nurse = await sessionCookieFor(server, 'nurse@st-elisabeth.example');
    const response = await call(server, 'GET', `/api/patients/${ids.Weber}`, {
      cookie: nurse,
      headers: { 'x-request-id': 'phi-trace-1' },
    });
    assert.equal(response.status, 200);
    assert.deepEqual(
      { ...response.body.patient, id: null, treatmentCentre: response.body.patient.treatmentCentre.name },
      {
        id: null,
        givenName: 'Jonas',
        familyName: 'Weber',
        birthDate: '1968-04-12',
        sex: 'male',
        mrn: 'STE-100234',
        treatmentCentre: 'St. Elisabeth University Hospital',
      },
    );
    const nurseId = (
      await server.database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'nurse@st-elisabeth.example')
        .executeTakeFirstOrThrow()
    ).id;
    const logged = await server.database.db
      .selectFrom('phi_access_log')
      .selectAll()
      .where('request_id', '=', 'phi-trace-1')
      .execute();
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.actor_type, 'user');
    assert.equal(logged[0]?.actor_id, nurseId);
    assert.equal(logged[0]?.patient_id, ids.Weber);
    assert.equal(logged[0]?.action, 'patient.viewed');
    assert.equal(logged[0]?.route, 'GET /api/patients/:id');
    assert.ok(logged[0]?.accessed_at instanceof Date);

    await call(server, 'GET', '/api/patients', { cookie: nurse, headers: { 'x-request-id': 'phi-trace-2' } });
    const listed = await server.database.db
      .selectFrom('phi_access_log')
      .select('patient_id')
      .where('request_id', '=', 'phi-trace-2')
      .execute();
    assert.deepEqual(listed.map((row) => row.patient_id).sort(), [ids.Schulz, ids.Weber].sort());
  });
});
