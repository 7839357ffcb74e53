import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { patientConflicts } from './patient-conflicts.ts';
import type { ChainStep } from './scheduling-model.ts';

const step = (stepKey: string, startsAt: string, endsAt: string): ChainStep => ({
  stepKey,
  workType: 'infusion',
  siteId: 'centre',
  day: startsAt.slice(0, 10),
  startsAt,
  endsAt,
  published: true,
});

describe('patient conflicts', () => {
  test('an appointment overlapping the infusion is shown with the overlap and ways to resolve it', () => {
    const conflicts = patientConflicts(
      [{ id: 'ct', label: 'CT scan', startsAt: '2027-04-10T08:30:00Z', endsAt: '2027-04-10T09:30:00Z' }],
      [
        {
          bookingId: 'b1',
          steps: [
            step('conditioning', '2027-04-06T08:00:00Z', '2027-04-06T11:00:00Z'),
            step('infusion', '2027-04-10T08:00:00Z', '2027-04-10T10:00:00Z'),
          ],
        },
      ],
    );
    assert.equal(conflicts.length, 1);
    const [conflict] = conflicts;
    assert.equal(conflict?.overlapMinutes, 60);
    assert.deepEqual([conflict?.a.kind, conflict?.b.kind].sort(), ['appointment', 'chain_step']);
    assert.ok(conflict?.resolutions.some((r) => r.includes('Move the appointment "CT scan"')));
    assert.ok(conflict?.resolutions.some((r) => r.includes('Re-plan infusion of booking b1')));
  });

  test('steps of two bookings and two appointments conflict; steps of one booking and touching times do not', () => {
    const conflicts = patientConflicts(
      [
        { id: 'a', label: 'Dentist', startsAt: '2027-04-01T10:00:00Z', endsAt: '2027-04-01T11:00:00Z' },
        { id: 'b', label: 'Physio', startsAt: '2027-04-01T10:45:00Z', endsAt: '2027-04-01T12:00:00Z' },
        { id: 'c', label: 'Lab', startsAt: '2027-04-01T12:00:00Z', endsAt: '2027-04-01T12:30:00Z' },
      ],
      [
        { bookingId: 'one', steps: [step('infusion', '2027-05-01T08:00:00Z', '2027-05-01T10:00:00Z')] },
        { bookingId: 'two', steps: [step('infusion', '2027-05-01T09:00:00Z', '2027-05-01T11:00:00Z')] },
      ],
    );
    assert.deepEqual(
      conflicts.map((c) => c.overlapMinutes),
      [15, 60],
    );
    assert.ok(conflicts[0]?.resolutions.includes('Cancel one of the two appointments'));
    assert.deepEqual(
      patientConflicts([], [{ steps: [step('x', '2027-01-01T08:00:00Z', '2027-01-01T09:00:00Z')] }]),
      [],
    );
  });
});
