// npm (11.x) sometimes leaves the off-platform optional packages of a dependency out of
// package-lock.json, and `npm ci` then refuses the lock file ("Missing: … from lock file").
// This adds the missing entries from the registry metadata, so the lock installs on every platform.
// Run after `npm install` changed the lock: `node scripts/complete-lockfile.mjs`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = location ? `${location}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[base] || packages[`node_modules/${name}`]) continue;
    const version = range.replace(/^[\^~]/, '');
    const meta = JSON.parse(
      execFileSync(
        'npm',
        [
          'view',
          `${name}@${version}`,
          '--json',
          'version',
          'dist.integrity',
          'os',
          'cpu',
          'libc',
          'license',
          'engines',
        ],
        {
          encoding: 'utf8',
        },
      ),
    );
    packages[`node_modules/${name}`] = {
      version: meta.version,
      integrity: meta['dist.integrity'],
      ...(meta.cpu ? { cpu: [].concat(meta.cpu) } : {}),
      ...(entry.dev ? { dev: true } : {}),
      ...(meta.engines ? { engines: meta.engines } : {}),
      ...(meta.libc ? { libc: [].concat(meta.libc) } : {}),
      ...(meta.license ? { license: meta.license } : {}),
      optional: true,
      ...(meta.os ? { os: [].concat(meta.os) } : {}),
    };
    added++;
    process.stdout.write(`added ${name}@${meta.version}\n`);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`${added} missing optional package(s) added to package-lock.json\n`);
