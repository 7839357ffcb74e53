import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { settingsReference } from '../src/platform/config.ts';

// The README's configuration table is what operators read; it must list every setting the code accepts.
test('the README documents every setting', () => {
  const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const documented = new Set([...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
  const missing = settingsReference.map(([name]) => name).filter((name) => !documented.has(name));
  assert.deepEqual(missing, [], `README is missing: ${missing.join(', ')}`);
});

test('every setting the configuration schema reads is in the reference table', () => {
  const source = fs.readFileSync(new URL('../src/platform/config.ts', import.meta.url), 'utf8');
  const schema = source.slice(
    source.indexOf('const envSchema'),
    source.indexOf('});', source.indexOf('const envSchema')),
  );
  const read = [...schema.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
  const referenced = new Set(settingsReference.map(([name]) => name));
  assert.deepEqual(
    read.filter((name) => !referenced.has(name as (typeof settingsReference)[number][0])),
    [],
  );
});
