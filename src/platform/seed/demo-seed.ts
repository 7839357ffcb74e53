import { seedDemoCases, seedDemoTemplates } from '../../cases/case-demo-data.ts';
import { seedCustodyDemo } from '../../custody/custody-demo-data.ts';
import { createPartner, createSite } from '../../partners/partner-changes.ts';
import { demoNetwork } from '../../partners/partner-demo-data.ts';
import { partnerIdByCode, siteIdByCode } from '../../partners/partner-store.ts';
import { seedDemoScheduling } from '../../scheduling/scheduling-demo-data.ts';
import { systemActor } from '../access/actor.ts';
import { DEMO_PASSWORD, demoPeopleCount, seedDemoPeople } from '../auth/demo-users.ts';
import { hashPassword } from '../auth/password-hashing.ts';
import type { Database } from '../db/database.ts';

export type SeedStep = { label: string; run: (database: Database) => Promise<void> };
export type SeedProgress = (done: number, total: number, label: string) => void;

const SEED_NAME = 'demo';
const SEED_ACTOR = systemActor('demo-seed');

/**
 * Each step runs in its own transaction and is an upsert on stable codes, so the seed can be
 * interrupted at any point (even by SIGKILL) and simply run again to completion.
 */
export function demoSeedSteps(): SeedStep[] {
  // argon2 is slow on purpose: the demo password is hashed once per run, and only if an account is missing.
  let passwordHash: Promise<string> | undefined;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const partnerSteps: SeedStep[] = demoNetwork.map((partner) => {
    const people = demoPeopleCount(partner.code);
    return {
      label: `${partner.name} (${plural(partner.sites.length, 'site')}${people ? `, ${plural(people, 'demo account')}` : ''})`,
      run: (database) =>
        database.db.transaction().execute(async (trx) => {
          // Created like an administrator would, ledger entry included; what exists is left alone.
          const { sites, ...fields } = partner;
          const partnerId =
            (await partnerIdByCode(trx, fields.code)) ?? (await createPartner(trx, SEED_ACTOR, fields));
          for (const site of sites)
            if (!(await siteIdByCode(trx, site.code))) await createSite(trx, SEED_ACTOR, partnerId, site);
          await seedDemoPeople(
            trx,
            {
              partnerIds: (code) => partnerIdByCode(trx, code),
              passwordHash: () => {
                passwordHash ??= hashPassword(DEMO_PASSWORD);
                return passwordHash;
              },
              now: new Date(),
            },
            partner.code,
            partnerId,
          );
        }),
    };
  });
  return [
    ...partnerSteps,
    { label: 'Therapy templates (4, published)', run: (database) => seedDemoTemplates(database) },
    { label: 'Demo cases (4, at different stages)', run: (database) => seedDemoCases(database) },
    { label: 'Custody (shippers, a chain of custody)', run: (database) => seedCustodyDemo(database) },
    {
      label: 'Scheduling network (calendars, routes, 120 days of capacity)',
      run: (database) => seedDemoScheduling(database),
    },
  ];
}

export async function seedDemo(
  database: Database,
  onProgress: SeedProgress = () => {},
): Promise<{ steps: number }> {
  const steps = demoSeedSteps();
  for (const [index, step] of steps.entries()) {
    onProgress(index, steps.length, step.label);
    await step.run(database);
  }
  await database.db
    .insertInto('seed_runs')
    .values({ name: SEED_NAME })
    .onConflict((oc) => oc.column('name').doUpdateSet({ completed_at: new Date() }))
    .execute();
  onProgress(steps.length, steps.length, 'done');
  return { steps: steps.length };
}
