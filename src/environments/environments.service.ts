import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { sqlState } from '../common/database-errors';
import { findPage } from '../common/keyset';
import { ListQueryDto } from '../common/pagination';
import { Source } from '../sources/source.entity';
import { newSourceEnvironment } from '../sources/source-defaults';
import { SourceEnvironment } from '../sources/source-environment.entity';
import { CreateEnvironmentDto } from './dto/create-environment.dto';
import { toEnvironmentResponse } from './dto/environment.response';
import { Environment } from './environment.entity';
import { EnvironmentExistsError, EnvironmentNotFoundError } from './environments.errors';

@Injectable()
export class EnvironmentsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(query: ListQueryDto) {
    return findPage(
      this.db.getRepository(Environment).createQueryBuilder('e'),
      'createdAt',
      query,
      toEnvironmentResponse,
      true,
    );
  }

  async get(slug: string) {
    return toEnvironmentResponse(await this.getEntity(this.db.manager, slug));
  }

  async getEntity(manager: EntityManager, slug: string): Promise<Environment> {
    const environment = await manager.findOneBy(Environment, { slug });
    if (!environment) throw new EnvironmentNotFoundError(slug);
    return environment;
  }

  /** Creates the environment and, in the same transaction, its settings for every existing source. */
  async create(dto: CreateEnvironmentDto) {
    try {
      const environment = await this.db.transaction(async (manager) => {
        const created = await manager.save(manager.create(Environment, { slug: dto.slug, name: dto.name }));
        const sources = await manager.find(Source);
        await manager.save(
          SourceEnvironment,
          sources.map((source) => newSourceEnvironment(source, created.id)),
        );
        return created;
      });
      return toEnvironmentResponse(environment);
    } catch (error) {
      if (sqlState(error) === '23505') throw new EnvironmentExistsError(dto.slug);
      throw error;
    }
  }
}
