import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EXAMPLE_NOW, exampleNetwork } from './example-network.ts';
import type { ChainSearchRequest } from './scheduling-model.ts';
import { validateSearchRequest } from './search-request-validation.ts';

const valid: ChainSearchRequest = {
  therapyCode: 'car-t-autologous',
  treatmentCentreId: 'centre',
  earliestDate: '2027-03-02',
};
const fields = (
  request: ChainSearchRequest,
  now = EXAMPLE_NOW,
  options?: Parameters<typeof exampleNetwork>[0],
) => validateSearchRequest(exampleNetwork(options).network, request, now).map((p) => p.field);

describe('search request validation', () => {
  test('a sound request has no problems', () => {
    assert.deepEqual(validateSearchRequest(exampleNetwork().network, valid, EXAMPLE_NOW), []);
  });

  test('an unknown centre, or a site that is not a treatment centre', () => {
    assert.deepEqual(fields({ ...valid, treatmentCentreId: 'nowhere' }), ['treatmentCentreId']);
    const [problem] = validateSearchRequest(
      exampleNetwork().network,
      { ...valid, treatmentCentreId: 'near' },
      EXAMPLE_NOW,
    );
    assert.equal(problem?.field, 'treatmentCentreId');
    assert.match(problem?.reason ?? '', /PLT-LEI is a manufacturing_site/);
  });

  test("a date in the past is judged by the centre's own day, not UTC", () => {
    // 23:30 UTC on 1 March is already 2 March in Berlin: 1 March is past there.
    const lateEvening = new Date('2027-03-01T23:30:00Z');
    const [problem] = validateSearchRequest(
      exampleNetwork().network,
      { ...valid, earliestDate: '2027-03-01' },
      lateEvening,
    );
    assert.equal(problem?.field, 'earliestDate');
    assert.match(problem?.reason ?? '', /in the past: today is 2027-03-02 at CTR-BER/);
    assert.deepEqual(fields({ ...valid, earliestDate: '2027-03-02' }, lateEvening), []);
    assert.deepEqual(fields({ ...valid, earliestDate: '2027-02-30' }), ['earliestDate']);
  });

  test('no preferred site set for the therapy, no route, and bad preferences', () => {
    assert.deepEqual(fields({ ...valid, therapyCode: 'gene-therapy-in-vivo-aav' }), ['therapyCode']);
    const unrouted = fields(valid, EXAMPLE_NOW, {
      sets: [
        {
          treatmentCentreId: 'centre',
          therapyCode: 'car-t-autologous',
          rank: 1,
          collectionSiteIds: ['collect'],
          plantIds: ['centre'],
          infusionSiteIds: ['centre'],
        },
      ],
    });
    assert.deepEqual(unrouted, ['treatmentCentreId']);
    assert.deepEqual(
      fields({
        ...valid,
        count: 0,
        preferences: { latestInfusionDate: '2027-03-01', plantIds: ['collect'], avoidSiteIds: ['ghost'] },
        patientAppointments: [
          { id: 'x', label: 'x', startsAt: '2027-03-05T10:00:00Z', endsAt: '2027-03-05T09:00:00Z' },
        ],
      }),
      [
        'count',
        'preferences.latestInfusionDate',
        'preferences.avoidSiteIds.0',
        'patientAppointments.0.endsAt',
        'preferences.plantIds.0',
      ],
    );
  });
});
