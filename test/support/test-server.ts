import type { Config } from '../../src/platform/config.ts';
import { type RunningCellway, startCellway } from '../../src/platform/lifecycle.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { DatabaseTarget, FreshDatabase } from './test-databases.ts';

export type TestServer = RunningCellway & { fresh: FreshDatabase; close(): Promise<void> };

/** A real Cellway server on a free loopback port over a fresh database of the given kind. */
export async function startTestServer(
  target: DatabaseTarget,
  options: { demo?: boolean; webDistDir?: string } = {},
): Promise<TestServer> {
  const fresh = await target.create();
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    database: fresh.settings,
    logLevel: 'silent',
    shutdownGraceMs: 5_000,
  };
  const running = await startCellway({
    config,
    logger: createLogger('silent'),
    demo: options.demo ?? false,
    ...(options.webDistDir ? { webDistDir: options.webDistDir } : {}),
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
