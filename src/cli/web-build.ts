import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB = path.join(ROOT, 'web');
const STAMP = path.join(WEB, 'dist', '.source-hash');

function* filesUnder(dir: string): Generator<string> {
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'node_modules') yield* filesUnder(full);
    } else yield full;
  }
}

/** A fingerprint of everything the bundle is built from, so start-up rebuilds only after a change. */
export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(WEB), path.join(ROOT, 'package-lock.json')]) {
    if (!fs.existsSync(file)) continue;
    hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function webBuildIsCurrent(): boolean {
  return fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === webSourceHash();
}

export async function ensureWebBuild(log: (line: string) => void): Promise<'current' | 'built'> {
  if (webBuildIsCurrent()) return 'current';
  log('Building the web app (first start, or its sources changed)…');
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the web app build failed (exit ${code})`)),
    );
  });
  fs.writeFileSync(STAMP, webSourceHash());
  log(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 'built';
}
