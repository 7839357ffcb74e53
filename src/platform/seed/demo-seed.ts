import { demoNetwork } from '../../partners/partner-demo-data.ts';
import { upsertPartner, upsertSite } from '../../partners/partner-store.ts';
import type { Database } from '../db/database.ts';

export type SeedStep = { label: string; run: (database: Database) => Promise<void> };
export type SeedProgress = (done: number, total: number, label: string) => void;

const SEED_NAME = 'demo';

/**
 * Each step runs in its own transaction and is an upsert on stable codes, so the seed can be
 * interrupted at any point (even by SIGKILL) and simply run again to completion.
 */
export function demoSeedSteps(): SeedStep[] {
  return demoNetwork.map((partner) => ({
    label: `${partner.name} (${partner.sites.length} site${partner.sites.length === 1 ? '' : 's'})`,
    run: (database) =>
      database.db.transaction().execute(async (trx) => {
        const { sites, ...fields } = partner;
        const partnerId = await upsertPartner(trx, fields);
        for (const site of sites) await upsertSite(trx, partnerId, site);
      }),
  }));
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
