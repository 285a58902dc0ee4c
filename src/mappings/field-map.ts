import { parseEnvelopePath, PathError, resolvePath } from '../common/paths';
import { FieldMap } from './action-mapping.entity';

const TARGET_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_FIELDS = 50;

/** Problems with a field map, keyed `field_map.<target>`; empty when it is usable. */
export function fieldMapProblems(fieldMap: unknown): Record<string, string> {
  if (typeof fieldMap !== 'object' || fieldMap === null || Array.isArray(fieldMap)) {
    return { field_map: 'field_map must be an object of target field → path' };
  }
  const entries = Object.entries(fieldMap);
  if (entries.length > MAX_FIELDS) return { field_map: `field_map has more than ${MAX_FIELDS} fields` };
  const problems: Record<string, string> = {};
  for (const [target, path] of entries) {
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
    if (typeof path !== 'string') {
      problems[field] = 'must be a path string such as "body.userId"';
      continue;
    }
    try {
      parseEnvelopePath(path);
    } catch (error) {
      problems[field] = error instanceof PathError ? error.message : 'invalid path';
    }
  }
  return problems;
}

/** The action inputs: each target field's value in the envelope; fields whose path finds nothing are left out. */
export function mapFields(fieldMap: FieldMap, envelope: unknown): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [target, path] of Object.entries(fieldMap)) {
    const value = resolvePath(envelope, parseEnvelopePath(path));
    if (value !== undefined) inputs[target] = value;
  }
  return inputs;
}
