import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ActionInputError } from '../actions/actions';
import { NotFoundError, ValidationFailedError } from '../common/domain-error';
import { findPage } from '../common/keyset';
import { ListQueryDto } from '../common/pagination';
import { EnvironmentsService } from '../environments/environments.service';
import { toUserResponse } from './dto/user.response';
import { PropertyChange, toProfile, UserProfile } from './user-profile';
import { User } from './user.entity';

// Profile fields given replace the stored ones; properties merge key by key.
const IDENTIFY_SQL = `
INSERT INTO users (environment_id, id, email, name, phone_number, properties)
VALUES ($1, $2, $3, $4, $5, $6::jsonb)
ON CONFLICT (environment_id, id) DO UPDATE SET
  email = COALESCE(excluded.email, users.email),
  name = COALESCE(excluded.name, users.name),
  phone_number = COALESCE(excluded.phone_number, users.phone_number),
  properties = users.properties || excluded.properties,
  updated_at = now()
RETURNING (xmax = 0) AS created`;

// $4: keys to remove afterwards; $5: set only the keys the user does not have yet ($set_once).
const SET_PROPERTIES_SQL = `
INSERT INTO users (environment_id, id, properties)
VALUES ($1, $2, $3::jsonb - $4::text[])
ON CONFLICT (environment_id, id) DO UPDATE SET
  properties = CASE WHEN $5 THEN excluded.properties || users.properties ELSE users.properties || excluded.properties END
    - $4::text[],
  updated_at = now()
RETURNING (xmax = 0) AS created`;

export interface UserWrite {
  user_id: string;
  created: boolean;
}

@Injectable()
export class UsersService {
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
    return toUserResponse(await this.getEntity(environment.id, environmentSlug, id));
  }

  /** PUT: identifies the user exactly as the identify_user action does. */
  async put(environmentSlug: string, id: string, fields: Omit<UserProfile, 'id'>) {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    let profile: UserProfile;
    try {
      profile = toProfile({ ...fields, id });
    } catch (error) {
      if (error instanceof ActionInputError) throw new ValidationFailedError(error.message);
      throw error;
    }
    await this.identify(this.db.manager, environment.id, profile);
    return toUserResponse(await this.getEntity(environment.id, environmentSlug, id));
  }

  async delete(environmentSlug: string, id: string): Promise<void> {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    const { affected } = await this.db.manager.delete(User, { environmentId: environment.id, id });
    if (!affected) throw new UserNotFoundError(id, environmentSlug);
  }

  /** Creates the user or updates it: profile fields given replace the stored ones, properties merge. */
  async identify(manager: EntityManager, environmentId: string, profile: UserProfile): Promise<UserWrite> {
    const [row] = await manager.query<{ created: boolean }[]>(IDENTIFY_SQL, [
      environmentId,
      profile.id,
      profile.email ?? null,
      profile.name ?? null,
      profile.phone_number ?? null,
      JSON.stringify(profile.properties),
    ]);
    return { user_id: profile.id, created: row.created };
  }

  /** Merges properties into the user (creating it if need be), then removes the `unset` ones. */
  async setProperties(
    manager: EntityManager,
    environmentId: string,
    change: PropertyChange,
  ): Promise<UserWrite> {
    const [row] = await manager.query<{ created: boolean }[]>(SET_PROPERTIES_SQL, [
      environmentId,
      change.id,
      JSON.stringify(change.properties),
      change.unset,
      change.onlyIfMissing,
    ]);
    return { user_id: change.id, created: row.created };
  }

  private async getEntity(environmentId: string, environmentSlug: string, id: string): Promise<User> {
    const user = await this.db.manager.findOneBy(User, { environmentId, id });
    if (!user) throw new UserNotFoundError(id, environmentSlug);
    return user;
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor(id: string, environment: string) {
    super('USER_NOT_FOUND', `user "${id}" does not exist in ${environment}`);
  }
}
