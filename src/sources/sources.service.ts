import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { sqlState } from '../common/database-errors';
import { ValidationFailedError } from '../common/domain-error';
import { findPage } from '../common/keyset';
import { ListQueryDto } from '../common/pagination';
import { randomToken } from '../common/secrets';
import { Environment } from '../environments/environment.entity';
import { ActionMapping } from '../mappings/action-mapping.entity';
import { EnvironmentNotFoundError } from '../environments/environments.errors';
import { CreateSourceDto } from './dto/create-source.dto';
import { toSourceEnvironmentResponse, toSourceResponse } from './dto/source.response';
import { UpdateSourceEnvironmentDto, VerificationDto } from './dto/update-source-environment.dto';
import { UpdateSourceDto } from './dto/update-source.dto';
import { DEFAULT_MAPPINGS, newSourceEnvironment } from './source-defaults';
import { SourceEnvironment, Verification } from './source-environment.entity';
import { Source } from './source.entity';
import { SourceKeyTakenError, SourceNotFoundError } from './sources.errors';
import { verificationProblems } from './verification';

@Injectable()
export class SourcesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async list(query: ListQueryDto) {
    const page = await findPage(
      this.db.getRepository(Source).createQueryBuilder('s'),
      'createdAt',
      query,
      (s) => s,
    );
    const settings = await this.settingsOf(page.data.map((s) => s.id));
    return {
      ...page,
      data: page.data.map((source) =>
        toSourceResponse(
          source,
          settings.filter((s) => s.sourceId === source.id),
          this.config.publicUrl,
        ),
      ),
    };
  }

  async get(key: string) {
    const source = await this.getSource(this.db.manager, key);
    return toSourceResponse(source, await this.settingsOf([source.id]), this.config.publicUrl);
  }

  /** Creates the source and its settings in every environment, each with its own ingestion token. */
  async create(dto: CreateSourceDto) {
    const defaults = DEFAULT_MAPPINGS[dto.type] ?? [];
    if (dto.default_mappings && defaults.length === 0) {
      throw ValidationFailedError.fromProblems({
        default_mappings: 'only for posthog and posthog_webhook sources',
      });
    }
    try {
      const source = await this.db.transaction(async (manager) => {
        const created = await manager.save(
          manager.create(Source, { key: dto.key, name: dto.name, type: dto.type }),
        );
        const environments = await manager.find(Environment);
        const settings = await manager.save(
          SourceEnvironment,
          environments.map((environment) => newSourceEnvironment(created, environment.id)),
        );
        if (dto.default_mappings) {
          await manager.save(
            ActionMapping,
            settings.flatMap((s) =>
              defaults.map((mapping, position) => ({
                ...mapping,
                sourceEnvironmentId: s.id,
                position,
                enabled: true,
                conditions: [],
              })),
            ),
          );
        }
        return created;
      });
      return toSourceResponse(source, await this.settingsOf([source.id]), this.config.publicUrl);
    } catch (error) {
      if (sqlState(error) === '23505') throw new SourceKeyTakenError(dto.key);
      throw error;
    }
  }

  async update(key: string, dto: UpdateSourceDto) {
    const source = await this.getSource(this.db.manager, key);
    source.name = dto.name;
    await this.db.manager.save(source);
    return this.get(key);
  }

  /** Deletes the source with its settings, mappings, events and idempotency keys. */
  async delete(key: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const source = await this.getSource(manager, key);
      // These tables have no foreign key to the settings (see the migration): delete their rows by hand.
      for (const table of ['source_events', 'idempotency_keys']) {
        await manager.query(
          `DELETE FROM ${table} WHERE source_environment_id IN (SELECT id FROM source_environments WHERE source_id = $1)`,
          [source.id],
        );
      }
      await manager.delete(Source, { id: source.id });
    });
  }

  async getSettings(key: string, environmentSlug: string) {
    const settings = await this.getSettingsEntity(this.db.manager, key, environmentSlug);
    return toSourceEnvironmentResponse(settings.source!, settings, this.config.publicUrl);
  }

  async updateSettings(key: string, environmentSlug: string, dto: UpdateSourceEnvironmentDto) {
    const settings = await this.getSettingsEntity(this.db.manager, key, environmentSlug);
    if (dto.enabled !== undefined) settings.enabled = dto.enabled;
    if (dto.event_type_path !== undefined) settings.eventTypePath = dto.event_type_path;
    if (dto.timestamp_path !== undefined) settings.timestampPath = dto.timestamp_path;
    if (dto.idempotency) {
      settings.idempotencyEnabled = dto.idempotency.enabled ?? settings.idempotencyEnabled;
      if (dto.idempotency.key_path !== undefined) settings.idempotencyKeyPath = dto.idempotency.key_path;
      settings.idempotencyWindowSeconds = dto.idempotency.window_seconds ?? settings.idempotencyWindowSeconds;
    }
    if (dto.verification) settings.verification = mergeVerification(settings.verification, dto.verification);

    const problems = verificationProblems(settings.verification);
    if (settings.idempotencyEnabled && !settings.idempotencyKeyPath) {
      problems['idempotency.key_path'] = 'key_path is required when idempotency is enabled';
    }
    if (Object.keys(problems).length > 0) {
      throw ValidationFailedError.fromProblems(problems);
    }
    await this.db.manager.save(settings);
    return toSourceEnvironmentResponse(settings.source!, settings, this.config.publicUrl);
  }

  /** Issues a new ingestion URL; the old one answers 404 from this commit on. */
  async rotateToken(key: string, environmentSlug: string) {
    const settings = await this.getSettingsEntity(this.db.manager, key, environmentSlug);
    settings.token = randomToken();
    await this.db.manager.save(settings);
    return toSourceEnvironmentResponse(settings.source!, settings, this.config.publicUrl);
  }

  async getSource(manager: EntityManager, key: string): Promise<Source> {
    const source = await manager.findOneBy(Source, { key });
    if (!source) throw new SourceNotFoundError(key);
    return source;
  }

  /** A source's settings in one environment, with the source and environment loaded. */
  async getSettingsEntity(
    manager: EntityManager,
    key: string,
    environmentSlug: string,
  ): Promise<SourceEnvironment> {
    const source = await this.getSource(manager, key);
    const settings = await manager.findOne(SourceEnvironment, {
      where: { sourceId: source.id, environment: { slug: environmentSlug } },
      relations: { environment: true },
    });
    if (!settings) throw new EnvironmentNotFoundError(environmentSlug);
    settings.source = source;
    return settings;
  }

  private settingsOf(sourceIds: string[]): Promise<SourceEnvironment[]> {
    if (sourceIds.length === 0) return Promise.resolve([]);
    return this.db.manager.find(SourceEnvironment, {
      where: { sourceId: In(sourceIds) },
      relations: { environment: true },
      order: { environment: { createdAt: 'ASC' } },
    });
  }
}

/** Applies a verification change; a secret left out is kept when the type stays the same. */
function mergeVerification(current: Verification, change: VerificationDto): Verification {
  if (change.type === 'none') return { type: 'none' };
  const sameType = change.type === current.type;
  const header =
    change.type === 'standard_webhooks'
      ? undefined
      : (change.header ?? (sameType ? current.header : undefined));
  return {
    type: change.type,
    header: header?.toLowerCase(),
    secret: change.secret ?? (sameType ? current.secret : undefined),
  };
}
