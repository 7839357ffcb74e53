/**
 * One value, one text: ledger hashes are taken over bytes, so the same before/after state must always
 * serialise to the same bytes whatever order its keys were built in. The output matches RFC 8785 (JCS)
 * for every value JCS accepts: keys sorted by UTF-16 code units, ECMAScript number formatting, no
 * whitespace. Anything JSON.stringify would silently drop or distort is refused instead, because a
 * ledger that quietly records `null` for a value it could not encode is not evidence.
 */
export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'CanonicalJsonError';
  }
}

// In u-mode a well-formed surrogate pair is one code point, so this only matches lone halves, which
// have no UTF-8 encoding and would be hashed differently by different implementations.
const loneSurrogate = /[\uD800-\uDFFF]/u;

export function canonicalJson(value: unknown): string {
  return encode(value, '$', []);
}

function encode(value: unknown, path: string, ancestors: object[]): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} is not a finite number`, path);
      return JSON.stringify(value);
    case 'string':
      if (loneSurrogate.test(value)) throw new CanonicalJsonError('string contains a lone surrogate', path);
      return JSON.stringify(value);
    case 'undefined':
      throw new CanonicalJsonError('undefined has no JSON form', path);
    case 'bigint':
      throw new CanonicalJsonError('bigint has no exact JSON form; pass it as a string', path);
    case 'function':
    case 'symbol':
      throw new CanonicalJsonError(`a ${typeof value} has no JSON form`, path);
  }
  const object = value as object;
  if (ancestors.includes(object)) throw new CanonicalJsonError('value contains a cycle', path);
  const toJson = (object as { toJSON?: unknown }).toJSON;
  // Dates (and anything else that declares its JSON form) encode as JSON.stringify would encode them.
  if (typeof toJson === 'function') return encode(toJson.call(object), path, ancestors);
  ancestors.push(object);
  try {
    if (Array.isArray(object)) {
      const parts: string[] = [];
      for (let index = 0; index < object.length; index++) {
        parts.push(encode(object[index], `${path}[${index}]`, ancestors));
      }
      return `[${parts.join(',')}]`;
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new CanonicalJsonError(
        `a ${kind} has no canonical JSON form; convert it to a plain object`,
        path,
      );
    }
    const record = object as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const item = record[key];
      // An absent property and an undefined one mean the same thing in a record, as in JSON.stringify.
      if (item === undefined) continue;
      if (loneSurrogate.test(key)) throw new CanonicalJsonError('key contains a lone surrogate', path);
      parts.push(`${JSON.stringify(key)}:${encode(item, `${path}.${key}`, ancestors)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    ancestors.pop();
  }
}

/** True when `text` is already the canonical form of the JSON value it spells. */
export function isCanonicalJson(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  try {
    return canonicalJson(value) === text;
  } catch {
    return false;
  }
}
