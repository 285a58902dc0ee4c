import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ActionContext, ActionHandler, ActionInputError } from '../actions/actions';
import { NotFoundError } from '../common/domain-error';
import { findPage } from '../common/keyset';
import { ListQueryDto } from '../common/pagination';
import { EnvironmentsService } from '../environments/environments.service';
import { toUserResponse } from './dto/user.response';
import { User } from './user.entity';

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

const UPSERT_SQL = `
INSERT INTO users (environment_id, id, email, name, phone_number, properties)
VALUES ($1, $2, $3, $4, $5, $6::jsonb)
ON CONFLICT (environment_id, id) DO UPDATE SET
  email = COALESCE(excluded.email, users.email),
  name = COALESCE(excluded.name, users.name),
  phone_number = COALESCE(excluded.phone_number, users.phone_number),
  properties = users.properties || excluded.properties,
  updated_at = now()
RETURNING (xmax = 0) AS created`;

@Injectable()
export class UsersService implements ActionHandler {
  readonly action = 'identify_user' as const;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly environments: EnvironmentsService,
  ) {}

  async list(environmentSlug: string, query: ListQueryDto) {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    const qb = this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.environmentId = :id', { id: environment.id });
    return findPage(qb, 'createdAt', query, toUserResponse);
  }

  async get(environmentSlug: string, id: string) {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    const user = await this.db.manager.findOneBy(User, { environmentId: environment.id, id });
    if (!user) throw new NotFoundError('USER_NOT_FOUND', `user "${id}" does not exist in ${environmentSlug}`);
    return toUserResponse(user);
  }

  /**
   * identify_user: creates the user or updates it. Profile fields given replace the stored ones; properties are
   * merged key by key (a key given replaces the stored value); any other mapped field becomes a property.
   */
  async apply({ manager, environmentId }: ActionContext, inputs: Record<string, unknown>) {
    const profile = toProfile(inputs);
    const [row] = (await manager.query(UPSERT_SQL, [
      environmentId,
      profile.id,
      profile.email ?? null,
      profile.name ?? null,
      profile.phone_number ?? null,
      JSON.stringify(profile.properties),
    ])) as { created: boolean }[];
    return { user_id: profile.id, created: row.created };
  }
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
    id: String(id),
    email: optionalText('email', email),
    name: optionalText('name', name),
    phone_number: optionalText('phone_number', phoneNumber),
    properties: { ...(properties as Record<string, unknown> | undefined), ...Object.fromEntries(extra) },
  };
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
