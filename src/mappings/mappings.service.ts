import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { REQUIRED_FIELDS } from '../actions/actions';
import { NotFoundError, ValidationFailedError } from '../common/domain-error';
import { findPage } from '../common/keyset';
import { ListQueryDto } from '../common/pagination';
import { parsePath } from '../common/paths';
import { eventType, idempotencyKey } from '../ingestion/event-fields';
import { SourcesService } from '../sources/sources.service';
import { ActionMapping, ActionName } from './action-mapping.entity';
import { conditionProblems } from './conditions';
import { CreateMappingDto } from './dto/create-mapping.dto';
import { toMappingResponse } from './dto/mapping.response';
import { TestMappingsDto } from './dto/test-mappings.dto';
import { UpdateMappingDto } from './dto/update-mapping.dto';
import { appliesTo, evaluateMapping, executionOrder } from './evaluate';
import { fieldMapProblems } from './field-map';

@Injectable()
export class MappingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sources: SourcesService,
  ) {}

  async list(source: string, env: string, query: ListQueryDto) {
    const settings = await this.sources.getSettingsEntity(this.db.manager, source, env);
    const qb = this.db
      .getRepository(ActionMapping)
      .createQueryBuilder('m')
      .where('m.sourceEnvironmentId = :id', { id: settings.id });
    return findPage(qb, 'createdAt', query, toMappingResponse, true);
  }

  async get(source: string, env: string, id: string) {
    return toMappingResponse(await this.getEntity(source, env, id));
  }

  async create(source: string, env: string, dto: CreateMappingDto) {
    const settings = await this.sources.getSettingsEntity(this.db.manager, source, env);
    validate(dto.action, dto.field_map, dto.conditions ?? []);
    const position =
      dto.position ??
      ((await this.db.manager.maximum(ActionMapping, 'position', { sourceEnvironmentId: settings.id })) ??
        -1) + 1;
    const mapping = await this.db.manager.save(
      this.db.manager.create(ActionMapping, {
        sourceEnvironmentId: settings.id,
        eventType: dto.event_type,
        action: dto.action,
        fieldMap: dto.field_map,
        conditions: dto.conditions ?? [],
        enabled: dto.enabled ?? true,
        position,
      }),
    );
    return toMappingResponse(mapping);
  }

  async update(source: string, env: string, id: string, dto: UpdateMappingDto) {
    const mapping = await this.getEntity(source, env, id);
    if (dto.event_type !== undefined) mapping.eventType = dto.event_type;
    if (dto.action !== undefined) mapping.action = dto.action;
    if (dto.field_map !== undefined) mapping.fieldMap = dto.field_map;
    if (dto.conditions !== undefined) mapping.conditions = dto.conditions;
    if (dto.enabled !== undefined) mapping.enabled = dto.enabled;
    if (dto.position !== undefined) mapping.position = dto.position;
    validate(mapping.action, mapping.fieldMap, mapping.conditions);
    return toMappingResponse(await this.db.manager.save(mapping));
  }

  /** The dry run: event type, idempotency key and, per mapping, matched or skipped (why) with its inputs. */
  async test(source: string, env: string, dto: TestMappingsDto) {
    const settings = await this.sources.getSettingsEntity(this.db.manager, source, env);
    const headers = Object.fromEntries(
      Object.entries(dto.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const envelope = { body: dto.payload, headers, query: dto.query ?? {} };
    const type = eventType(envelope, parsePath(settings.eventTypePath));
    const keyPath = settings.idempotencyEnabled ? settings.idempotencyKeyPath : null;
    const key = idempotencyKey(envelope, keyPath ? parsePath(keyPath) : null, keyPath);

    let candidates: ActionMapping[];
    if (dto.mapping) {
      validate(dto.mapping.action, dto.mapping.field_map, dto.mapping.conditions ?? []);
      candidates = [
        this.db.manager.create(ActionMapping, {
          eventType: dto.mapping.event_type,
          action: dto.mapping.action,
          fieldMap: dto.mapping.field_map,
          conditions: dto.mapping.conditions ?? [],
          enabled: dto.mapping.enabled ?? true,
        }),
      ];
    } else {
      candidates = await this.db.manager.find(ActionMapping, { where: { sourceEnvironmentId: settings.id } });
      candidates.sort(executionOrder);
    }

    return {
      event_type: type,
      idempotency: { key: key.key, note: key.note },
      mappings: candidates.map((mapping) => {
        const described = { id: mapping.id ?? null, event_type: mapping.eventType, action: mapping.action };
        if (!mapping.enabled)
          return { ...described, result: 'skipped', reason: 'the mapping is disabled', inputs: {} };
        if (!appliesTo(mapping.eventType, type)) {
          const reason = `event type ${JSON.stringify(type)} is not ${JSON.stringify(mapping.eventType)}`;
          return { ...described, result: 'skipped', reason, inputs: {} };
        }
        const { status, ...details } = evaluateMapping(mapping, envelope);
        return { ...described, result: status, ...details };
      }),
    };
  }

  async delete(source: string, env: string, id: string): Promise<void> {
    const mapping = await this.getEntity(source, env, id);
    await this.db.manager.delete(ActionMapping, { id: mapping.id });
  }

  private async getEntity(source: string, env: string, id: string): Promise<ActionMapping> {
    const settings = await this.sources.getSettingsEntity(this.db.manager, source, env);
    const mapping = await this.db.manager.findOneBy(ActionMapping, { id, sourceEnvironmentId: settings.id });
    if (!mapping)
      throw new NotFoundError('MAPPING_NOT_FOUND', `mapping ${id} does not exist in ${source}/${env}`);
    return mapping;
  }
}

function validate(action: ActionName, fieldMap: unknown, conditions: unknown): void {
  const problems = { ...fieldMapProblems(fieldMap), ...conditionProblems(conditions) };
  for (const field of REQUIRED_FIELDS[action]) {
    if (typeof fieldMap === 'object' && fieldMap !== null && !(field in fieldMap)) {
      problems[`field_map.${field}`] ??= `${action} needs field_map.${field}`;
    }
  }
  if (Object.keys(problems).length > 0) throw ValidationFailedError.fromProblems(problems);
}
