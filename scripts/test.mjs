// The whole test suite in one command: typecheck, lint, then every test on PGlite (and on the
// PostgreSQL server when DATABASE_URL is set). Ends with the line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const only = process.argv.slice(2);

function run(title, command, args, env = process.env) {
  process.stdout.write(`\n== ${title}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status === 0;
}

function findTests(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith('.test.ts')) found.push(path.relative(root, full));
  }
  return found.sort();
}

const checks = [];
if (only.length === 0) {
  checks.push([
    'typecheck (tsc --noEmit)',
    run('typecheck', process.execPath, [
      'node_modules/typescript/bin/tsc',
      '--noEmit',
      '-p',
      'tsconfig.json',
    ]),
  ]);
  checks.push([
    'lint and format (biome)',
    run('lint', process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'check', '.']),
  ]);
}

const files = only.length ? only : [...findTests('src'), ...findTests('test')];
fs.mkdirSync('test-output', { recursive: true });
const countsFile = path.join('test-output', 'counts.json');
fs.rmSync(countsFile, { force: true });
process.stdout.write(
  `\n== tests: ${files.length} files; databases: PGlite${process.env.DATABASE_URL ? ' and the PostgreSQL server at DATABASE_URL' : ' only (set DATABASE_URL to add the PostgreSQL server)'}\n`,
);
const testsOk = run('node --test', process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  '--test-timeout=300000',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/count-reporter.mjs',
  `--test-reporter-destination=${countsFile}`,
  ...files,
]);

const counts = fs.existsSync(countsFile)
  ? JSON.parse(fs.readFileSync(countsFile, 'utf8'))
  : {
      passed: 0,
      failed: 1,
      skipped: 0,
      postgres: { passed: 0, failed: 0 },
      pglite: { passed: 0, failed: 0 },
    };
if (!testsOk && counts.failed === 0) counts.failed = 1; // the runner itself failed (e.g. a file did not load)
const failedChecks = checks.filter(([, ok]) => !ok);
process.stdout.write('\n== summary\n');
for (const [name, ok] of checks) process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}\n`);
process.stdout.write(
  `embedded PGlite tests: ${counts.pglite.passed} passed, ${counts.pglite.failed} failed\n`,
);
process.stdout.write(
  process.env.DATABASE_URL
    ? `PostgreSQL server tests: ${counts.postgres.passed} passed, ${counts.postgres.failed} failed\n`
    : 'PostgreSQL server tests: not run (DATABASE_URL is not set)\n',
);
if (counts.skipped) process.stdout.write(`${counts.skipped} skipped\n`);
const passed = counts.passed + (checks.length - failedChecks.length);
const failed = counts.failed + failedChecks.length;
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 && testsOk ? 0 : 1;
