import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Prints the figures as a table and writes bench/results/<name>.json as { metrics, … }. */
export function writeResults(
  name: string,
  metrics: Record<string, number | null>,
  details: Record<string, unknown> = {},
) {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.json`);
  const document = { metrics, ...details, measuredAt: new Date().toISOString(), machine: machineFacts() };
  fs.writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  const width = Math.max(...Object.keys(metrics).map((k) => k.length));
  process.stdout.write(`\n${name}\n`);
  for (const [key, value] of Object.entries(metrics))
    process.stdout.write(`  ${key.padEnd(width)}  ${value}\n`);
  process.stdout.write(`written to ${path.relative(process.cwd(), file)}\n`);
}

function machineFacts() {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
  };
}
