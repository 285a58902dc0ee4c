import secureJson from 'secure-json-parse';
import { parseEnvelopePath, PathError, resolvePath } from '../common/paths';
import { checkTemplate, renderTemplate, TemplateError } from '../common/templates';

/**
 * Where a target field's value comes from:
 * - `"body.userId"`: the value at a dot path into `{ body, headers, query }`;
 * - `{ "path": "body.plan", "default": "free" }`: the same, with a value for when the path finds nothing;
 * - `{ "value": <any JSON> }`: a literal;
 * - `{ "template": "Hello {{ body.properties.name }}" }`: a Liquid template over the envelope.
 */
export type FieldSource =
  string | { path: string; default?: unknown } | { value: unknown } | { template: string };
export type FieldMap = Record<string, FieldSource>;

const TARGET_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_FIELDS = 50;

/** Problems with a field map, keyed `field_map.<target>`; empty when it is usable. */
export function fieldMapProblems(fieldMap: unknown): Record<string, string> {
  if (typeof fieldMap !== 'object' || fieldMap === null || Array.isArray(fieldMap)) {
    return {
      field_map:
        'field_map must be an object of target field → path, { path, default }, { value } or { template }',
    };
  }
  const entries = Object.entries(fieldMap);
  if (entries.length > MAX_FIELDS) return { field_map: `field_map has more than ${MAX_FIELDS} fields` };
  const problems: Record<string, string> = {};
  for (const [target, source] of entries) {
    const field = `field_map.${target}`;
    if (
      !TARGET_FIELD.test(target) ||
      target === '__proto__' ||
      target === 'constructor' ||
      target === 'prototype'
    ) {
      problems[field] = 'target field names are letters, digits and "_" (at most 64), not a prototype key';
      continue;
    }
    const problem = sourceProblem(source);
    if (problem) problems[field] = problem;
  }
  return problems;
}

function sourceProblem(source: unknown): string | null {
  if (typeof source === 'string') return pathProblem(source);
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    return 'must be a path such as "body.userId", or { path, default }, { value } or { template }';
  }
  const keys = Object.keys(source).sort().join(',');
  const given = source as Record<string, unknown>;
  switch (keys) {
    case 'path':
    case 'default,path':
      return typeof given.path === 'string' ? pathProblem(given.path) : 'path must be a string';
    case 'value':
      return null;
    case 'template':
      if (typeof given.template !== 'string') return 'template must be a string';
      try {
        checkTemplate(given.template);
        return null;
      } catch (error) {
        return (error as TemplateError).message;
      }
    default:
      return `expected exactly one of path (with an optional default), value or template; got ${keys || 'nothing'}`;
  }
}

function pathProblem(path: string): string | null {
  try {
    parseEnvelopePath(path);
    return null;
  } catch (error) {
    return error instanceof PathError ? error.message : 'invalid path';
  }
}

/**
 * The action inputs: each target field's value from the envelope. Fields that find nothing are left out.
 * A template for a field in `structured` that renders JSON text (an object or a list) is parsed.
 * Throws TemplateError when a template fails to render.
 */
export function mapFields(
  fieldMap: FieldMap,
  envelope: object,
  structured: ReadonlySet<string>,
): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [target, source] of Object.entries(fieldMap)) {
    const value = resolveSource(source, envelope, structured.has(target));
    if (value !== undefined) inputs[target] = value;
  }
  return inputs;
}

function resolveSource(source: FieldSource, envelope: object, structured: boolean): unknown {
  if (typeof source === 'string') return resolvePath(envelope, parseEnvelopePath(source));
  if ('template' in source) {
    const text = renderTemplate(source.template, envelope);
    if (text === '') return undefined;
    return structured ? parseStructured(text) : text;
  }
  if ('value' in source) return source.value;
  const found = resolvePath(envelope, parseEnvelopePath(source.path));
  return found === undefined || found === null ? source.default : found;
}

/** What a required field was mapped from, to say why it came out empty. */
export function describeSource(source: FieldSource | undefined): string {
  if (source === undefined) return 'it is not mapped';
  if (typeof source === 'string') return `nothing at ${source}`;
  if ('template' in source) return 'the template rendered nothing';
  if ('value' in source) return 'the value is null';
  return `nothing at ${source.path} and no default`;
}

function parseStructured(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return secureJson.parse(trimmed, undefined, {
      protoAction: 'remove',
      constructorAction: 'remove',
    }) as unknown;
  } catch {
    return text;
  }
}
