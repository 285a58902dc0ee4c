import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ActionContext, ActionHandler } from '../actions/actions';
import { NotFoundError } from '../common/domain-error';
import { findPage } from '../common/keyset';
import { ListQueryDto } from '../common/pagination';
import { EnvironmentsService } from '../environments/environments.service';
import { toUserResponse } from './dto/user.response';
import { User } from './user.entity';
import { toProfile } from './user-profile';

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
    const [row] = await manager.query<{ created: boolean }[]>(UPSERT_SQL, [
      environmentId,
      profile.id,
      profile.email ?? null,
      profile.name ?? null,
      profile.phone_number ?? null,
      JSON.stringify(profile.properties),
    ]);
    return { user_id: profile.id, created: row.created };
  }
}
