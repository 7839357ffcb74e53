/**
 * A quick measurement of the pure chain search on the full generated network (no database):
 * `node --import tsx bench/scheduling-search-probe.ts`. The real benchmark is bench/scheduling.ts.
 */
import { searchChains } from '../src/scheduling/chain-search.ts';
import { chainSpecFor } from '../src/scheduling/chain-spec.ts';
import { capacityViewOf, generateNetwork, seededRandom } from '../src/scheduling/network-generator.ts';
import { indexNetwork, snapshotOf } from '../src/scheduling/network-index.ts';
import { addDays } from '../src/scheduling/site-calendar.ts';
import { carTAutologousTemplate } from '../src/therapy/demo-templates/car-t-autologous.ts';
import { validateTemplate } from '../src/therapy/template-validation.ts';

const startDay = '2026-12-01';
let t = performance.now();
const generated = generateNetwork({ seed: 7, startDay });
const generateMs = performance.now() - t;
t = performance.now();
const network = indexNetwork(snapshotOf(generated));
const indexMs = performance.now() - t;
const capacity = capacityViewOf(generated.capacity);
const template = validateTemplate(carTAutologousTemplate);
if (!template.ok) throw new Error('template');
const centres = generated.sites.filter((s) => s.kind === 'treatment_centre');
const random = seededRandom(99);
const now = new Date(`${startDay}T00:00:00Z`);

function measure(label: string, explain: boolean, runs: number, fromDay = 1, days = 60) {
  const times: number[] = [];
  let found = 0;
  let exclusions = 0;
  for (let i = 0; i < runs; i++) {
    const centre = centres[Math.floor(random() * centres.length)];
    if (!centre) continue;
    const result = chainSpecFor(template.ok ? template.template : (undefined as never), {
      country: centre.country,
    });
    if (!('spec' in result)) throw new Error(result.problems.join());
    const started = performance.now();
    const { chains, exclusions: why } = searchChains(
      network,
      capacity,
      result.spec,
      {
        therapyCode: 'car-t-autologous',
        treatmentCentreId: centre.id,
        earliestDate: addDays(startDay, fromDay + Math.floor(random() * days)),
        count: 3,
        explain,
      },
      now,
    );
    times.push(performance.now() - started);
    found += chains.length;
    exclusions += why.length;
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
  console.log(
    `${label}: ${runs} searches, mean ${mean.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, max ${(times[times.length - 1] ?? 0).toFixed(2)} ms, ${(found / runs).toFixed(2)} chains/search, ${(exclusions / runs).toFixed(1)} exclusions/search`,
  );
}

console.log(
  `generated ${generated.sites.length} sites, ${generated.capacity.length} capacity days, ${generated.bookings.length} booked cases in ${generateMs.toFixed(0)} ms; indexed in ${indexMs.toFixed(2)} ms`,
);
measure('warm-up', false, 300);
measure('search', false, 2000);
measure('search with explain', true, 1000);
// Near the end of the horizon no chain fits: the search must exhaust every combination to explain why.
measure('no chain (explain, exhaustive)', true, 500, 105, 10);
