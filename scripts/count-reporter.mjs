// A node:test reporter that counts passed and failed tests, and how many of them ran on the
// PostgreSQL server, so the test command can say so at the end. Suites titled "[postgres] …" or
// "[pglite] …" mark the database their tests ran on.
export default async function* countReporter(source) {
  const stacks = new Map();
  const counts = { passed: 0, failed: 0, skipped: 0, postgres: { passed: 0, failed: 0 }, pglite: { passed: 0, failed: 0 } };
  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:start') {
      const stack = stacks.get(data.file) ?? [];
      stack[data.nesting] = data.name;
      stack.length = data.nesting + 1;
      stacks.set(data.file, stack);
      continue;
    }
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    if (data.details?.type === 'suite') continue;
    const outcome = data.skip || data.todo ? 'skipped' : type === 'test:pass' ? 'passed' : 'failed';
    counts[outcome]++;
    if (outcome === 'skipped') continue;
    const ancestors = (stacks.get(data.file) ?? []).slice(0, data.nesting);
    const kind = ancestors.find((name) => /^\[(postgres|pglite)\]/.test(name))?.match(/^\[(\w+)\]/)?.[1];
    if (kind) counts[kind][outcome]++;
  }
  yield `${JSON.stringify(counts)}\n`;
}
