/**
 * Dot paths into JSON: `body.properties.email`, `body.items.0.sku`, `body.properties.$set.plan`.
 * A key that itself holds a dot (or brackets) is quoted: `body.properties["utm.source"]`.
 * Paths resolve own properties only and refuse the keys that lead to prototypes.
 */

export const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);
export const ENVELOPE_ROOTS = ['body', 'headers', 'query'] as const;
const MAX_PATH_LENGTH = 512;
const MAX_SEGMENTS = 32;

export class PathError extends Error {}

export type Path = readonly string[];

/** Splits a path into segments; throws PathError for syntax errors and forbidden keys. */
export function parsePath(path: string): Path {
  if (typeof path !== 'string' || path.length === 0) throw new PathError('path must be a non-empty string');
  if (path.length > MAX_PATH_LENGTH) throw new PathError(`path is longer than ${MAX_PATH_LENGTH} characters`);
  const segments: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const end = path.indexOf('"]', i + 2);
      if (path[i + 1] !== '"' || end < 0) throw new PathError(`unterminated ["…"] at position ${i}`);
      let key: unknown;
      try {
        key = JSON.parse(path.slice(i + 1, end + 1));
      } catch {
        throw new PathError(`invalid quoted key at position ${i}`);
      }
      segments.push(key as string);
      i = end + 2;
    } else {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      if (end === i) throw new PathError(`empty segment at position ${i}`);
      segments.push(path.slice(i, end));
      i = end;
    }
    if (i < path.length) {
      if (path[i] === '.') {
        i++;
        if (i === path.length) throw new PathError('path ends with a dot');
      } else if (path[i] !== '[') {
        throw new PathError(`expected "." or "[" at position ${i}`);
      }
    }
  }
  if (segments.length > MAX_SEGMENTS) throw new PathError(`path has more than ${MAX_SEGMENTS} segments`);
  const forbidden = segments.find((s) => FORBIDDEN_SEGMENTS.has(s));
  if (forbidden !== undefined) throw new PathError(`"${forbidden}" is not allowed in a path`);
  return segments;
}

/** Parses a path that must start at one of `roots`. */
export function parseRootedPath(path: string, roots: readonly string[]): Path {
  const segments = parsePath(path);
  if (!roots.includes(segments[0])) {
    throw new PathError(`path must start with ${roots.join(', ')} (got "${segments[0]}")`);
  }
  return segments;
}

/** Parses a path into an event's envelope: it must start at `body`, `headers` or `query`. */
export const parseEnvelopePath = (path: string): Path => parseRootedPath(path, ENVELOPE_ROOTS);

/** The value at `path` in `root`, or undefined. Walks plain own properties and array indexes only. */
export function resolvePath(root: unknown, path: Path): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else {
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}
