// A node:test reporter that counts passed and failed tests, and how many of them ran on the
// PostgreSQL server, so the test command can say so at the end. Suites titled "[postgres] …" or
// "[pglite] …" mark the database their tests ran on. Test files run one at a time (the test command
// sets --test-concurrency=1), so events arrive in order and one stack of open suites is enough; the
// `file` of an event names where a suite was declared (test-databases.ts), not the test file.
export default async function* countReporter(source) {
  const stack = [];
  const counts = {
    passed: 0,
    failed: 0,
    skipped: 0,
    postgres: { passed: 0, failed: 0 },
    pglite: { passed: 0, failed: 0 },
  };
  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:start') {
      stack[data.nesting] = data.name;
      stack.length = data.nesting + 1;
      continue;
    }
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    if (data.details?.type === 'suite') continue;
    const outcome = data.skip || data.todo ? 'skipped' : type === 'test:pass' ? 'passed' : 'failed';
    counts[outcome]++;
    if (outcome === 'skipped') continue;
    const ancestors = stack.slice(0, data.nesting);
    const kind = ancestors.find((name) => /^\[(postgres|pglite)\]/.test(name))?.match(/^\[(\w+)\]/)?.[1];
    if (kind) counts[kind][outcome]++;
  }
  yield `${JSON.stringify(counts)}\n`;
}
