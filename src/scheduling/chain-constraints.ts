/**
 * An independent check of one slot chain against every scheduling rule, written without the search
 * engine's machinery so that each can catch the other's mistakes: property tests run it on every
 * chain the search returns, and the store runs it before booking. Each violation is a sentence a
 * coordinator can read.
 */
import type { IndexedNetwork } from './network-index.ts';
import type { CapacityView, ChainSpec, PatientAppointment, SiteRole, SlotChain } from './scheduling-model.ts';
import { closureOn, hoursOn, isDay, localTimeToUtcMs } from './site-calendar.ts';

export function chainViolations(
  network: IndexedNetwork,
  capacity: CapacityView,
  spec: ChainSpec,
  chain: SlotChain,
  appointments: readonly PatientAppointment[] = [],
  options: {
    /** Slot units the case already holds (`site|workType|day`): they count as free for it. */
    ownUnits?: ReadonlySet<string>;
    /** When given, the sites must be a preferred set of this centre (not just of some centre). */
    treatmentCentreId?: string;
  } = {},
): string[] {
  const problems: string[] = [];
  if (chain.steps.length !== spec.steps.length) {
    problems.push(`the chain has ${chain.steps.length} steps, the therapy needs ${spec.steps.length}`);
    return problems;
  }
  const siteOfRole = new Map<SiteRole, string>();
  const startOf = new Map<string, number>();
  const units = new Set<string>();

  spec.steps.forEach((expected, i) => {
    const step = chain.steps[i];
    if (!step) return;
    const name = expected.stepKey;
    if (step.stepKey !== expected.stepKey || step.workType !== expected.workType) {
      problems.push(
        `step ${i + 1} is ${step.stepKey}/${step.workType}, expected ${name}/${expected.workType}`,
      );
      return;
    }
    const site = network.sites.get(step.siteId);
    if (!site) {
      problems.push(`${name}: unknown site ${step.siteId}`);
      return;
    }
    const previous = siteOfRole.get(expected.siteRole);
    if (previous !== undefined && previous !== step.siteId)
      problems.push(`${name}: ${expected.siteRole} steps must share one site`);
    siteOfRole.set(expected.siteRole, step.siteId);
    const workType = network.workTypes.get(step.workType);
    if (!workType) problems.push(`${name}: unknown work type ${step.workType}`);
    else if (!workType.siteKinds.includes(site.kind))
      problems.push(`${name}: ${site.code} is a ${site.kind}, where ${step.workType} is not done`);
    if (!isDay(step.day)) {
      problems.push(`${name}: ${step.day} is not a day`);
      return;
    }
    const closure = closureOn(site, step.day);
    const hours = hoursOn(site, step.day);
    if (closure) problems.push(`${name}: ${site.code} is closed on ${step.day} (${closure.reason})`);
    if (!hours) problems.push(`${name}: ${site.code} does not open on ${step.day}`);
    else {
      const opens = localTimeToUtcMs(site.timeZone, step.day, hours.opens);
      if (Date.parse(step.startsAt) !== opens)
        problems.push(
          `${name}: starts at ${step.startsAt}, but ${site.code} opens at ${new Date(opens).toISOString()}`,
        );
    }
    if (workType && Date.parse(step.endsAt) - Date.parse(step.startsAt) !== workType.durationMinutes * 60_000)
      problems.push(
        `${name}: lasts ${step.startsAt} to ${step.endsAt}, not ${workType.durationMinutes} minutes`,
      );
    startOf.set(name, Date.parse(step.startsAt));

    const unit = `${step.siteId}|${step.workType}|${step.day}`;
    if (units.has(unit)) problems.push(`${name}: uses the same slot as another step of the chain`);
    units.add(unit);
    const slot = capacity.get(step.siteId, step.workType, step.day);
    const own = options.ownUnits?.has(unit) ? 1 : 0;
    if (!slot) problems.push(`${name}: ${site.code} offers no ${step.workType} capacity on ${step.day}`);
    else {
      if (slot.capacity - slot.booked - slot.held + own < 1)
        problems.push(`${name}: ${site.code} has no free ${step.workType} slot on ${step.day}`);
      if (slot.published !== step.published)
        problems.push(
          `${name}: the slot is ${slot.published ? 'published' : 'unpublished'}, the chain says otherwise`,
        );
    }
    for (const a of appointments)
      if (
        Date.parse(a.startsAt) < Date.parse(step.endsAt) &&
        Date.parse(step.startsAt) < Date.parse(a.endsAt)
      )
        problems.push(`${name}: overlaps the patient's appointment "${a.label}"`);
  });

  const collection = siteOfRole.get('collection');
  const plant = siteOfRole.get('plant');
  const infusion = siteOfRole.get('infusion');
  if (collection && plant && !network.route(collection, plant))
    problems.push(`no route from the collection site ${collection} to the plant ${plant}`);
  if (plant && infusion && !network.route(plant, infusion))
    problems.push(`no route from the plant ${plant} to the infusion site ${infusion}`);

  const inSet = network.snapshot.preferredSiteSets.some(
    (set) =>
      set.therapyCode === spec.therapyCode &&
      set.rank === chain.siteSetRank &&
      (options.treatmentCentreId === undefined || set.treatmentCentreId === options.treatmentCentreId) &&
      (!collection || set.collectionSiteIds.includes(collection)) &&
      (!plant || set.plantIds.includes(plant)) &&
      (!infusion || set.infusionSiteIds.includes(infusion)),
  );
  if (!inSet) problems.push(`the sites are not a preferred site set of rank ${chain.siteSetRank}`);

  const roleOf = new Map(spec.steps.map((s) => [s.stepKey, s.siteRole]));
  for (const rule of spec.leadTimes) {
    const from = startOf.get(rule.fromStep);
    const to = startOf.get(rule.toStep);
    if (from === undefined || to === undefined) continue;
    const hours = (to - from) / 3_600_000;
    let minHours = rule.minHours;
    const fromRole = roleOf.get(rule.fromStep);
    const toRole = roleOf.get(rule.toStep);
    const fromSite = fromRole ? siteOfRole.get(fromRole) : undefined;
    const toSite = toRole ? siteOfRole.get(toRole) : undefined;
    const isLeg =
      (fromRole === 'collection' && toRole === 'plant') || (fromRole === 'plant' && toRole === 'infusion');
    const route = isLeg && fromSite && toSite ? network.route(fromSite, toSite) : undefined;
    if (route) {
      const fromStep = spec.steps.find((s) => s.stepKey === rule.fromStep);
      const duration = (fromStep && network.workTypes.get(fromStep.workType)?.durationMinutes) ?? 0;
      minHours = Math.max(minHours, duration / 60 + route.transportHours);
    }
    if (hours < minHours || hours > rule.maxHours)
      problems.push(
        `${rule.toStep} starts ${Math.round(hours * 10) / 10} h after ${rule.fromStep}; allowed ${minHours}–${rule.maxHours} h`,
      );
  }

  const last =
    [...spec.steps].reverse().find((s) => s.workType === 'infusion') ?? spec.steps[spec.steps.length - 1];
  const infusionStep = chain.steps.find((s) => s.stepKey === last?.stepKey);
  if (infusionStep && infusionStep.day !== chain.infusionDay)
    problems.push(
      `infusionDay ${chain.infusionDay} differs from the infusion step's day ${infusionStep.day}`,
    );
  return problems;
}
