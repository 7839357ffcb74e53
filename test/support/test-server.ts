import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/platform/config.ts';
import type { App } from '../../src/platform/http/app-type.ts';
import { type RunningCellway, startCellway } from '../../src/platform/lifecycle.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { DatabaseTarget, FreshDatabase } from './test-databases.ts';

export type TestServer = RunningCellway & { fresh: FreshDatabase; close(): Promise<void> };

/** A real Cellway server on a free loopback port over a fresh database of the given kind. */
export async function startTestServer(
  target: DatabaseTarget,
  options: {
    demo?: boolean;
    webDistDir?: string;
    env?: Record<string, string>;
    beforeListen?: (app: App) => void;
  } = {},
): Promise<TestServer> {
  const fresh = await target.create();
  // Built through loadConfig so every setting a capability adds gets its default here too.
  const config: Config = {
    ...loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SHUTDOWN_GRACE_MS: '5000',
      CELLWAY_LEDGER_KEY_FILE: path.join(
        fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-key-')),
        'ledger.pem',
      ),
      ...options.env,
    }),
    database: fresh.settings,
  };
  const running = await startCellway({
    config,
    logger: createLogger('silent'),
    demo: options.demo ?? false,
    ...(options.webDistDir ? { webDistDir: options.webDistDir } : {}),
    ...(options.beforeListen ? { beforeListen: options.beforeListen } : {}),
  });
  return {
    ...running,
    fresh,
    async close() {
      await running.stop('test finished');
      await fresh.drop();
    },
  };
}
