import type { Kysely } from 'kysely';
import { visibleCases } from '../cases/case-store.ts';
import type { Actor } from '../platform/access/actor.ts';
import type { Schema } from '../platform/db/schema.ts';
import { type FieldError, HttpProblem, invalidInput, notFound } from '../platform/http/problem.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import { findTemplate, latestPublished } from '../therapy/template-store.ts';
import { type BookingSubject, maySchedule } from './booking-store.ts';
import { CapacityCache } from './capacity-cache.ts';
import { searchChains } from './chain-search.ts';
import { chainSpecFor } from './chain-spec.ts';
import { type IndexedNetwork, indexNetwork } from './network-index.ts';
import { loadNetworkSnapshot } from './network-store.ts';
import type {
  ChainSearchRequest,
  ChainSearchResult,
  ChainSpec,
  PatientAppointment,
  SchedulingSite,
} from './scheduling-model.ts';
import { validateSearchRequest } from './search-request-validation.ts';

/** How long this process trusts its copy of the network (sites, calendars, routes) before reloading it. */
const NETWORK_TTL_MS = 30_000;

export type SearchInput = {
  caseId?: string;
  therapyCode?: string;
  treatmentCentreId?: string;
  earliestDate: string;
  count?: number;
  preferences?: ChainSearchRequest['preferences'];
  explain?: boolean;
};

/** Everything a search or a booking needs to know about its case. */
export type ResolvedSubject = {
  subject: BookingSubject;
  spec: ChainSpec;
  country: string;
  patientAppointments: PatientAppointment[];
};

/**
 * What a server process keeps in memory for scheduling: the indexed network (reloaded every
 * NETWORK_TTL_MS or when this process changes it) and the capacity counters (refreshed by one
 * indexed read before each search). Each process has its own; none of it is trusted for booking.
 */
export class SchedulingService {
  readonly capacity = new CapacityCache();
  #network: { indexed: IndexedNetwork; loadedAt: number } | undefined;
  #loading: Promise<IndexedNetwork> | undefined;
  /** Bumped by invalidateNetwork, so a load that began before a change is not kept as current. */
  #generation = 0;
  #refreshing: Promise<unknown> | undefined;
  readonly #templates = new Map<string, { template: TherapyTemplate; at: number }>();

  constructor(readonly db: Kysely<Schema>) {}

  async network(): Promise<IndexedNetwork> {
    const current = this.#network;
    if (current && Date.now() - current.loadedAt < NETWORK_TTL_MS) return current.indexed;
    if (this.#loading) return this.#loading;
    const generation = this.#generation;
    const loading = loadNetworkSnapshot(this.db)
      .then((snapshot) => {
        const indexed = indexNetwork(snapshot);
        if (generation === this.#generation) this.#network = { indexed, loadedAt: Date.now() };
        return indexed;
      })
      .finally(() => {
        if (this.#loading === loading) this.#loading = undefined;
      });
    this.#loading = loading;
    return this.#loading;
  }

  invalidateNetwork(): void {
    this.#network = undefined;
    this.#loading = undefined;
    this.#generation++;
  }

  /** Concurrent searches share one refresh in flight. */
  async refreshCapacity(): Promise<void> {
    this.#refreshing ??= this.capacity.refresh(this.db).finally(() => {
      this.#refreshing = undefined;
    });
    await this.#refreshing;
  }

  async #template(code: string, version: number | undefined): Promise<TherapyTemplate | undefined> {
    const key = `${code}@${version ?? 'latest'}`;
    const cached = this.#templates.get(key);
    if (cached && (version !== undefined || Date.now() - cached.at < NETWORK_TTL_MS)) return cached.template;
    const stored =
      version === undefined
        ? await latestPublished(this.db, code)
        : await findTemplate(this.db, code, version);
    if (!stored) return undefined;
    this.#templates.set(key, { template: stored.document, at: Date.now() });
    return stored.document;
  }

  /** The treatment centre's scheduling site of a partner: where its patients' chains start. */
  centreSiteOf(network: IndexedNetwork, partnerId: string): SchedulingSite | undefined {
    let found: SchedulingSite | undefined;
    for (const site of network.sites.values())
      if (
        site.partnerId === partnerId &&
        site.kind === 'treatment_centre' &&
        (!found || site.code < found.code)
      )
        found = site;
    return found;
  }

  /**
   * The case (by id, within the actor's scope) or the therapy and treatment centre a request names,
   * with the chain its template asks for. Refusals: 404 for a case or centre out of scope, 422 naming
   * the field for an unknown therapy, an unknown centre or lead times no chain can satisfy.
   */
  async resolve(
    actor: Actor,
    input: { caseId?: string; therapyCode?: string; treatmentCentreId?: string; caseRef?: string },
    purpose: 'search' | 'book',
  ): Promise<ResolvedSubject> {
    const network = await this.network();
    if (input.caseId) {
      const row = await visibleCases(this.db, actor)
        .select([
          'cases.id',
          'cases.reference',
          'cases.template_code',
          'cases.template_version',
          'cases.country',
          'cases.site_id',
          'cases.treatment_centre_partner_id',
        ])
        .where('cases.id', '=', input.caseId)
        .executeTakeFirst();
      if (!row) throw notFound('The case');
      if (purpose === 'book' && !maySchedule(actor, row.treatment_centre_partner_id))
        throw notFound('The case');
      const centre = this.centreSiteOf(network, row.treatment_centre_partner_id);
      if (!centre)
        throw invalidInput([
          {
            field: 'body.caseId',
            reason: 'the case’s treatment centre has no scheduling site in the network',
          },
        ]);
      const template = await this.#template(row.template_code, row.template_version);
      if (!template) throw notFound('The case’s therapy template');
      const spec = this.#spec(template, row.country, row.site_id, 'body.caseId');
      const appointments = await this.db
        .selectFrom('scheduling_patient_appointments')
        .select(['id', 'label', 'starts_at', 'ends_at'])
        .where('case_id', '=', row.id)
        .execute();
      return {
        subject: {
          caseId: row.id,
          caseRef: row.reference,
          treatmentCentreId: centre.id,
          centrePartnerId: row.treatment_centre_partner_id,
          therapyCode: row.template_code,
        },
        spec,
        country: row.country,
        patientAppointments: appointments.map((a) => ({
          id: a.id,
          label: a.label,
          startsAt: new Date(a.starts_at).toISOString(),
          endsAt: new Date(a.ends_at).toISOString(),
        })),
      };
    }
    const errors: FieldError[] = [];
    if (!input.therapyCode)
      errors.push({ field: 'body.therapyCode', reason: 'required when caseId is not given' });
    if (!input.treatmentCentreId)
      errors.push({ field: 'body.treatmentCentreId', reason: 'required when caseId is not given' });
    if (errors.length > 0) throw invalidInput(errors);
    const centre = network.sites.get(input.treatmentCentreId as string);
    if (!centre)
      throw invalidInput([
        { field: 'body.treatmentCentreId', reason: 'no such site in the scheduling network' },
      ]);
    if (actor.kind !== 'system' && actor.partnerType !== 'sponsor' && actor.partnerId !== centre.partnerId)
      throw notFound('The treatment centre');
    const template = await this.#template(input.therapyCode as string, undefined);
    if (!template)
      throw invalidInput([
        { field: 'body.therapyCode', reason: 'no published therapy template has this code' },
      ]);
    const spec = this.#spec(template, centre.country, centre.code, 'body.therapyCode');
    return {
      subject: {
        caseId: null,
        caseRef: input.caseRef ?? `${centre.code}-${input.therapyCode}`,
        treatmentCentreId: centre.id,
        centrePartnerId: centre.partnerId,
        therapyCode: template.code,
      },
      spec,
      country: centre.country,
      patientAppointments: [],
    };
  }

  #spec(template: TherapyTemplate, country: string, siteId: string | undefined, field: string): ChainSpec {
    const result = chainSpecFor(template, { country, ...(siteId ? { siteId } : {}) });
    if ('problems' in result)
      throw invalidInput(
        result.problems.map((reason) => ({ field, reason: `impossible lead times: ${reason}` })),
      );
    return result.spec;
  }

  /** The search the route runs, minus HTTP: 422 for a request the engine refuses. */
  async search(
    actor: Actor,
    input: SearchInput,
    now: Date,
  ): Promise<ChainSearchResult & { resolved: ResolvedSubject }> {
    const resolved = await this.resolve(actor, input, 'search');
    const request = this.requestOf(resolved, input);
    const network = await this.network();
    const problems = validateSearchRequest(network, request, now);
    if (problems.length > 0)
      throw invalidInput(
        problems.map((p) => ({
          field: p.field.startsWith('body.') ? p.field : `body.${p.field}`,
          reason: p.reason,
        })),
      );
    await this.refreshCapacity();
    const result = searchChains(network, this.capacity, resolved.spec, request, now);
    return { ...result, resolved };
  }

  requestOf(resolved: ResolvedSubject, input: SearchInput): ChainSearchRequest {
    return {
      therapyCode: resolved.subject.therapyCode,
      treatmentCentreId: resolved.subject.treatmentCentreId,
      earliestDate: input.earliestDate,
      count: input.count ?? 3,
      ...(input.preferences ? { preferences: input.preferences } : {}),
      patientAppointments: resolved.patientAppointments,
      explain: input.explain ?? false,
    };
  }

  /** The next best chains after a refusal: a fresh search from the same earliest day. */
  async alternatives(actor: Actor, input: SearchInput, now: Date) {
    try {
      const result = await this.search(actor, { ...input, explain: false }, now);
      return result.chains;
    } catch (error) {
      if (error instanceof HttpProblem) return [];
      throw error;
    }
  }
}
