import { ActionInputError } from '../actions/actions';

const MAX_ID_LENGTH = 255;
const MAX_TEXT_LENGTH = 1000;
const PROFILE_FIELDS = new Set(['id', 'email', 'name', 'phone_number', 'properties']);

export interface UserProfile {
  id: string;
  email?: string | null;
  name?: string | null;
  phone_number?: string | null;
  properties: Record<string, unknown>;
}

export interface PropertyChange {
  id: string;
  properties: Record<string, unknown>;
  unset: string[];
  onlyIfMissing: boolean;
}

/** Validates set_properties inputs; throws ActionInputError naming the field. */
export function toPropertyChange(inputs: Record<string, unknown>): PropertyChange {
  const { id, properties, unset = [], only_if_missing: onlyIfMissing = false } = inputs;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    throw new ActionInputError('properties must be an object');
  }
  if (!Array.isArray(unset) || !unset.every((name) => typeof name === 'string')) {
    throw new ActionInputError('unset must be a list of property names');
  }
  if (typeof onlyIfMissing !== 'boolean') throw new ActionInputError('only_if_missing must be true or false');
  return {
    id: userId(id),
    properties: properties as Record<string, unknown>,
    unset: unset,
    onlyIfMissing,
  };
}

/** Validates mapped inputs into a profile; throws ActionInputError naming the field. */
export function toProfile(inputs: Record<string, unknown>): UserProfile {
  const { id, email, name, phone_number: phoneNumber, properties } = inputs;
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id).length === 0) {
    throw new ActionInputError('id must be a non-empty string or number');
  }
  if (String(id).length > MAX_ID_LENGTH)
    throw new ActionInputError(`id is longer than ${MAX_ID_LENGTH} characters`);
  if (
    properties !== undefined &&
    properties !== null &&
    (typeof properties !== 'object' || Array.isArray(properties))
  ) {
    throw new ActionInputError('properties must be an object');
  }
  const extra = Object.entries(inputs).filter(([field]) => !PROFILE_FIELDS.has(field));
  return {
    id: userId(id),
    email: optionalText('email', email),
    name: optionalText('name', name),
    phone_number: optionalText('phone_number', phoneNumber),
    properties: { ...(properties as Record<string, unknown> | undefined), ...Object.fromEntries(extra) },
  };
}

function userId(id: unknown): string {
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id).length === 0) {
    throw new ActionInputError('id must be a non-empty string or number');
  }
  if (String(id).length > MAX_ID_LENGTH)
    throw new ActionInputError(`id is longer than ${MAX_ID_LENGTH} characters`);
  return String(id);
}

function optionalText(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new ActionInputError(`${field} must be a string`);
  const text = String(value);
  if (text.length > MAX_TEXT_LENGTH)
    throw new ActionInputError(`${field} is longer than ${MAX_TEXT_LENGTH} characters`);
  return text;
}
