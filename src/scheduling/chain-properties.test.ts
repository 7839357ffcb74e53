import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { carTAutologousTemplate } from '../therapy/demo-templates/car-t-autologous.ts';
import { validateTemplate } from '../therapy/template-validation.ts';
import { chainViolations } from './chain-constraints.ts';
import { compareChains, searchChains } from './chain-search.ts';
import { chainSpecFor } from './chain-spec.ts';
import { capacityViewOf, generateNetwork } from './network-generator.ts';
import { indexNetwork, snapshotOf } from './network-index.ts';
import { delayChain, ownUnitsOf, replanChain } from './replan.ts';
import type { ChainSpec, PatientAppointment, SlotChain } from './scheduling-model.ts';
import { addDays, localTimeToUtcMs } from './site-calendar.ts';

const START = '2027-01-04';
const NOW = new Date(`${START}T00:00:00Z`);
const parsed = validateTemplate(carTAutologousTemplate);
if (!parsed.ok) throw new Error('template');
const template = parsed.template;
const specFor = (country: string): ChainSpec => {
  const result = chainSpecFor(template, { country });
  if (!('spec' in result)) throw new Error(result.problems.join());
  return result.spec;
};

function smallNetwork(seed: number) {
  const generated = generateNetwork({
    seed,
    startDay: START,
    treatmentCentres: 4,
    collectionCentres: 2,
    plants: 2,
    horizonDays: 70,
    openCases: 12,
  });
  return {
    generated,
    network: indexNetwork(snapshotOf(generated)),
    capacity: capacityViewOf(generated.capacity),
    centres: generated.sites.filter((s) => s.kind === 'treatment_centre'),
  };
}

const searchCase = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  centre: fc.nat(),
  earliestOffset: fc.integer({ min: 1, max: 40 }),
  count: fc.integer({ min: 1, max: 5 }),
  includeUnpublished: fc.boolean(),
  avoidFirstPlant: fc.boolean(),
  latestOffset: fc.option(fc.integer({ min: 15, max: 90 }), { nil: undefined }),
  appointment: fc.option(
    fc.record({
      day: fc.integer({ min: 1, max: 70 }),
      hour: fc.integer({ min: 0, max: 23 }),
      hours: fc.integer({ min: 1, max: 30 }),
    }),
    { nil: undefined },
  ),
});

describe('chain search properties on random generated networks', () => {
  test('every returned chain satisfies every constraint, and the chains come in ranking order', () => {
    fc.assert(
      fc.property(searchCase, (c) => {
        const { network, capacity, centres, generated } = smallNetwork(c.seed);
        const centre = centres[c.centre % centres.length];
        if (!centre) return;
        const spec = specFor(centre.country);
        const firstPlant = generated.preferredSiteSets.find((s) => s.treatmentCentreId === centre.id)
          ?.plantIds[0];
        const appointments: PatientAppointment[] = c.appointment
          ? [
              {
                id: 'a1',
                label: 'Dentist',
                startsAt: new Date(
                  localTimeToUtcMs(centre.timeZone, addDays(START, c.appointment.day), '00:00') +
                    c.appointment.hour * 3_600_000,
                ).toISOString(),
                endsAt: new Date(
                  localTimeToUtcMs(centre.timeZone, addDays(START, c.appointment.day), '00:00') +
                    (c.appointment.hour + c.appointment.hours) * 3_600_000,
                ).toISOString(),
              },
            ]
          : [];
        const earliestDate = addDays(START, c.earliestOffset);
        const latest = c.latestOffset === undefined ? undefined : addDays(START, c.latestOffset);
        const { chains } = searchChains(
          network,
          capacity,
          spec,
          {
            therapyCode: 'car-t-autologous',
            treatmentCentreId: centre.id,
            earliestDate,
            count: c.count,
            explain: true,
            patientAppointments: appointments,
            preferences: {
              includeUnpublished: c.includeUnpublished,
              ...(c.avoidFirstPlant && firstPlant ? { avoidSiteIds: [firstPlant] } : {}),
              ...(latest ? { latestInfusionDate: latest } : {}),
            },
          },
          NOW,
        );
        assert.ok(chains.length <= c.count);
        const earliestInstant = localTimeToUtcMs(centre.timeZone, earliestDate, '00:00');
        for (const chain of chains) {
          assert.deepEqual(
            chainViolations(network, capacity, spec, chain, appointments, { treatmentCentreId: centre.id }),
            [],
          );
          for (const step of chain.steps) {
            assert.ok(
              Date.parse(step.startsAt) >= earliestInstant,
              `${step.stepKey} before the earliest date`,
            );
            if (!c.includeUnpublished) assert.equal(step.published, true);
            if (c.avoidFirstPlant) assert.notEqual(step.siteId, firstPlant);
          }
          if (latest) assert.ok(chain.infusionDay <= latest);
        }
        for (let i = 1; i < chains.length; i++)
          assert.ok(compareChains(chains[i - 1] as SlotChain, chains[i] as SlotChain) <= 0, 'ranking order');
        // Nothing infuses earlier than the first option: asking for an earlier infusion finds no chain.
        const best = chains[0];
        if (best && best.infusionDay > earliestDate) {
          const earlier = searchChains(
            network,
            capacity,
            spec,
            {
              therapyCode: 'car-t-autologous',
              treatmentCentreId: centre.id,
              earliestDate,
              count: 1,
              patientAppointments: appointments,
              preferences: {
                includeUnpublished: c.includeUnpublished,
                ...(c.avoidFirstPlant && firstPlant ? { avoidSiteIds: [firstPlant] } : {}),
                latestInfusionDate: addDays(best.infusionDay, -1),
              },
            },
            NOW,
          );
          assert.deepEqual(earlier.chains, []);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('the generator books only valid chains and never exceeds capacity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const { network, capacity, generated, centres } = smallNetwork(seed);
        assert.ok(generated.bookings.length > 0);
        for (const row of generated.capacity) assert.ok(row.booked + row.held <= row.capacity);
        for (const booking of generated.bookings) {
          const centre = centres.find((s) => s.id === booking.treatmentCentreId);
          const chain: SlotChain = { ...booking, plantLoad: 0 };
          const spec = specFor(centre?.country ?? 'DE');
          assert.deepEqual(
            chainViolations(network, capacity, spec, chain, [], { ownUnits: ownUnitsOf(chain) }),
            [],
          );
        }
      }),
      { numRuns: 15 },
    );
  });

  test('re-planning never breaks a lead time or uses a full slot; earlier steps change only when a lead time to a moved step forces it', () => {
    const leadTimeBetween = /^(\S+) starts -?[\d.]+ h after (\S+);/;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: -4, max: 12 }),
        fc.boolean(),
        fc.option(fc.nat(), { nil: undefined, freq: 2 }),
        (seed, pickBooking, pickStep, shift, asDelay, pickNow) => {
          const { network, capacity, generated, centres } = smallNetwork(seed);
          const booking = generated.bookings[pickBooking % generated.bookings.length];
          if (!booking) return;
          const centre = centres.find((s) => s.id === booking.treatmentCentreId);
          const spec = specFor(centre?.country ?? 'DE');
          const current: SlotChain = { ...booking, plantLoad: 0 };
          const moved = pickStep % spec.steps.length;
          const step = current.steps[moved];
          if (!step) return;
          // Sometimes the chain has begun: every step up to a random one is in the past.
          const begun = pickNow === undefined ? undefined : current.steps[pickNow % spec.steps.length];
          const now = begun ? new Date(Date.parse(begun.startsAt) + 3_600_000) : undefined;
          const options = { ownBookings: ownUnitsOf(current), ...(now ? { now } : {}) };
          const proposal = asDelay
            ? delayChain(
                network,
                capacity,
                spec,
                current,
                { stepKey: step.stepKey, delayHours: Math.max(1, shift) * 24 },
                options,
              )
            : replanChain(
                network,
                capacity,
                spec,
                current,
                { stepKey: step.stepKey, day: addDays(step.day, shift) },
                options,
              );
          assert.equal(proposal.before, current);
          if (!proposal.feasible) {
            assert.ok(proposal.reason && proposal.reason.length > 0);
            assert.equal(proposal.after, undefined);
            return;
          }
          const after = proposal.after as SlotChain;
          assert.deepEqual(
            chainViolations(network, capacity, spec, after, [], { ownUnits: ownUnitsOf(current) }),
            [],
          );
          if (!asDelay) assert.equal(after.steps[moved]?.day, addDays(step.day, shift));
          else
            assert.ok(
              Date.parse(after.steps[moved]?.startsAt ?? '') >=
                Date.parse(step.startsAt) + Math.max(1, shift) * 86_400_000,
            );
          const changed = new Set(
            after.steps
              .filter((s, i) => JSON.stringify(s) !== JSON.stringify(current.steps[i]))
              .map((s) => s.stepKey),
          );
          for (let i = 0; i < moved; i++) {
            const before = current.steps[i] as SlotChain['steps'][number];
            if (!changed.has(before.stepKey)) continue;
            if (now)
              assert.ok(Date.parse(before.startsAt) >= now.getTime(), `${before.stepKey} was in the past`);
            // Back on its old slot, the step would break a lead time with a step that moved.
            const kept = { ...after, steps: after.steps.map((s, j) => (j === i ? before : s)) };
            const forced = chainViolations(network, capacity, spec, kept, [], {
              ownUnits: ownUnitsOf(current),
            }).some((violation) => {
              const [, to, from] = leadTimeBetween.exec(violation) ?? [];
              const other = to === before.stepKey ? from : from === before.stepKey ? to : undefined;
              return other !== undefined && changed.has(other);
            });
            assert.ok(forced, `${before.stepKey} moved although its lead times to the moved steps held`);
            assert.equal(proposal.changes[i]?.why, 'lead_time');
          }
          for (const change of proposal.changes) {
            if (change.why === 'unchanged') assert.deepEqual(change.to, change.from);
            else assert.notDeepEqual(change.to, change.from);
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
