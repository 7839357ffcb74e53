#!/usr/bin/env node
// Development: runs the Cellway API server and the Vite dev server for the web app together.
// Signals (Ctrl-C, SIGTERM) are forwarded to both; when either one exits, the other is stopped
// and this script exits with the first one's status.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const apiEntry = join(root, 'bin', 'cellway.mjs');
const viteEntry = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
const GRACE_MS = 5_000;

const commands = [];
if (existsSync(apiEntry)) {
  commands.push({ name: 'api', args: [apiEntry, 'start', '--demo'] });
} else {
  console.warn('[dev] bin/cellway.mjs not found: starting the web dev server only (API calls will fail).');
}
commands.push({ name: 'web', args: [viteEntry, '--config', join('web', 'vite.config.ts')] });

const children = commands.map(({ name, args }) => {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
  return { name, child, exited: false };
});

let stopping = false;
let exitCode = 0;

function stopAll(signal) {
  for (const entry of children) {
    if (!entry.exited) entry.child.kill(signal);
  }
}

function shutdown(code, signal = 'SIGTERM') {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  stopAll(signal);
  // Escalate if a child ignores the polite request.
  setTimeout(() => stopAll('SIGKILL'), GRACE_MS).unref();
}

for (const entry of children) {
  entry.child.on('error', (error) => {
    console.error(`[dev] could not start ${entry.name}: ${error.message}`);
    entry.exited = true;
    shutdown(1);
    maybeExit();
  });
  entry.child.on('exit', (code, signal) => {
    entry.exited = true;
    if (!stopping) {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      console.error(`[dev] ${entry.name} exited (${how}); stopping the others.`);
      shutdown(code ?? 1);
    }
    maybeExit();
  });
}

function maybeExit() {
  if (children.every((entry) => entry.exited)) process.exit(exitCode);
}

const signalCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
for (const [signal, code] of Object.entries(signalCodes)) {
  process.on(signal, () => {
    if (stopping) {
      // A second Ctrl-C: stop waiting.
      stopAll('SIGKILL');
      process.exit(code);
    }
    shutdown(code, signal);
  });
}
