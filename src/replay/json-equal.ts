/**
 * Whether `value`, written as JSON (`JSON.parse(JSON.stringify(value))`), equals the plain JSON value `plain` (one
 * read from a trajectory), object keys in any order: what equal canonical JSON, and so equal request keys, mean,
 * without serialising, sorting or hashing either side. Conservative: `false` for what it does not model (a
 * `toJSON`, a non-finite number, an `undefined` or function in an array, a `__proto__` key, a boxed primitive, a
 * bigint), where the caller takes the exact path; `true` only when the two are equal.
 */
export function jsonEqual(value: unknown, plain: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value === plain;
  if (typeof value === 'number') return Number.isFinite(value) && value === plain;
  if (typeof value !== 'object' || plain === null || typeof plain !== 'object') return false;
  if (Array.isArray(value)) {
    if (!Array.isArray(plain) || plain.length !== value.length) return false;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') return false;
      if (!jsonEqual(item, plain[i])) return false;
    }
    return true;
  }
  if (Array.isArray(plain)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const object = value as Record<string, unknown>;
  if (typeof object['toJSON'] === 'function') return false;
  const other = plain as Record<string, unknown>;
  let members = 0;
  for (const key of Object.keys(object)) {
    const member = object[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    if (key === '__proto__' || !Object.hasOwn(other, key) || !jsonEqual(member, other[key])) return false;
    members += 1;
  }
  return members === Object.keys(other).length;
}
