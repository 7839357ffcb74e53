/**
 * A patient's overlapping commitments: appointments entered by the centre and the steps of their
 * booked chains. Each overlap comes with the ways a coordinator can resolve it.
 */
import type { ChainStep, PatientAppointment } from './scheduling-model.ts';

export type ConflictParty =
  | { kind: 'appointment'; id: string; label: string; startsAt: string; endsAt: string }
  | {
      kind: 'chain_step';
      bookingId: string;
      stepKey: string;
      workType: ChainStep['workType'];
      siteId: string;
      day: string;
      label: string;
      startsAt: string;
      endsAt: string;
    };

export type PatientConflict = {
  a: ConflictParty;
  b: ConflictParty;
  overlapMinutes: number;
  resolutions: string[];
};

export function patientConflicts(
  appointments: readonly PatientAppointment[],
  chains: ReadonlyArray<{ bookingId?: string; steps: readonly ChainStep[] }>,
): PatientConflict[] {
  const parties: ConflictParty[] = [
    ...appointments.map((a): ConflictParty => ({ kind: 'appointment', ...a })),
    ...chains.flatMap((chain, index) =>
      chain.steps.map(
        (s): ConflictParty => ({
          kind: 'chain_step',
          bookingId: chain.bookingId ?? `chain ${index + 1}`,
          stepKey: s.stepKey,
          workType: s.workType,
          siteId: s.siteId,
          day: s.day,
          label: `${s.stepKey.replaceAll('_', ' ')} on ${s.day}`,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
        }),
      ),
    ),
  ];
  const sorted = parties
    .map((p) => ({ p, start: Date.parse(p.startsAt), end: Date.parse(p.endsAt) }))
    .sort((x, y) => x.start - y.start);
  const conflicts: PatientConflict[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const first = sorted[i];
    if (!first) continue;
    for (let j = i + 1; j < sorted.length; j++) {
      const second = sorted[j];
      if (!second || second.start >= first.end) break;
      if (sameBooking(first.p, second.p)) continue;
      const overlap = Math.min(first.end, second.end) - second.start;
      if (overlap <= 0) continue;
      conflicts.push({
        a: first.p,
        b: second.p,
        overlapMinutes: Math.round(overlap / 60_000),
        resolutions: resolutionsFor(first.p, second.p),
      });
    }
  }
  return conflicts;
}

/** Steps of one chain are planned together; their spacing is the lead times' business, not a conflict. */
function sameBooking(a: ConflictParty, b: ConflictParty): boolean {
  return a.kind === 'chain_step' && b.kind === 'chain_step' && a.bookingId === b.bookingId;
}

function resolutionsFor(a: ConflictParty, b: ConflictParty): string[] {
  const out: string[] = [];
  for (const [party, other] of [
    [a, b],
    [b, a],
  ] as const) {
    if (party.kind === 'appointment')
      out.push(
        `Move the appointment "${party.label}" so it ends before ${other.startsAt} or starts after ${other.endsAt}`,
      );
    else
      out.push(
        `Re-plan ${party.stepKey} of booking ${party.bookingId} to the nearest free day that keeps its lead times (preview the cascade before accepting)`,
      );
  }
  if (a.kind === 'appointment' && b.kind === 'appointment') out.push('Cancel one of the two appointments');
  return out;
}
