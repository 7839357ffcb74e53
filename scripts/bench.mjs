// `npm run bench -- <name>` runs bench/<name>.ts, which prints its figures and writes
// bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const available = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3));
const names = process.argv.slice(2);
if (names.length === 0 || names.some((name) => !available.includes(name))) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}> [more…]\n`);
  process.exit(2);
}
for (const name of names) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', `${name}.ts`)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
