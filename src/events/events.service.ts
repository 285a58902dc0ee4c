import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/domain-error';
import { Dispatcher } from '../queue/dispatcher';
import { findPage } from '../common/keyset';
import { ActionMapping } from '../mappings/action-mapping.entity';
import { appliesTo } from '../mappings/evaluate';
import { SourceEnvironment } from '../sources/source-environment.entity';
import { SourcesService } from '../sources/sources.service';
import { WorkflowRun } from '../workflows/workflow-run.entity';
import { ActionAttempt } from './action-attempt.entity';
import { ActionExecution } from './action-execution.entity';
import { toEventSummary, toEventTrace } from './dto/event.response';
import { ListEventsQuery } from './dto/list-events.query';
import { ReplayEventDto } from './dto/replay-event.dto';
import { Replay, SourceEvent } from './source-event.entity';

@Injectable()
export class EventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sources: SourcesService,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** The event log of one source in one environment, newest first. */
  async list(source: string, env: string, query: ListEventsQuery) {
    const settings = await this.sources.getSettingsEntity(this.db.manager, source, env);
    const qb = this.db
      .getRepository(SourceEvent)
      .createQueryBuilder('e')
      .where('e.sourceEnvironmentId = :id', { id: settings.id });
    if (query.status) qb.andWhere('e.status = :status', { status: query.status });
    if (query.event_type) qb.andWhere('e.eventType = :eventType', { eventType: query.event_type });
    if (query.since) qb.andWhere('e.receivedAt >= :since', { since: query.since });
    if (query.until) qb.andWhere('e.receivedAt < :until', { until: query.until });
    return findPage(qb, 'receivedAt', query, toEventSummary);
  }

  /** Each event type this source has sent here: how often, when last, and whether an enabled mapping covers it. */
  async eventTypes(source: string, env: string) {
    const settings = await this.sources.getSettingsEntity(this.db.manager, source, env);
    const [types, mapped] = await Promise.all([
      this.db.query<{ event_type: string | null; count: string; last_seen_at: Date }[]>(
        `SELECT event_type, count(*) AS count, max(received_at) AS last_seen_at FROM source_events
         WHERE source_environment_id = $1 GROUP BY event_type ORDER BY max(received_at) DESC`,
        [settings.id],
      ),
      this.db.manager.find(ActionMapping, { where: { sourceEnvironmentId: settings.id, enabled: true } }),
    ]);
    return {
      data: types.map((row) => ({
        event_type: row.event_type,
        count: Number(row.count),
        last_seen_at: row.last_seen_at,
        mapped: mapped.some((mapping) => appliesTo(mapping.eventType, row.event_type)),
      })),
    };
  }

  /** Queues the event to run its mappings again; actions that succeeded are skipped unless forced. */
  async replay(id: string, dto: ReplayEventDto) {
    const replay: Replay = {
      force: dto.force ?? false,
      ...(dto.mapping_ids ? { mapping_ids: dto.mapping_ids } : {}),
    };
    const [updated] = await this.db.query<[unknown[], number]>(
      `UPDATE source_events
       SET status = 'accepted', replay = $2, processing_attempts = 0, error = NULL, processed_at = NULL, lease_expires_at = NULL
       WHERE id = $1 AND status NOT IN ('accepted', 'processing')
       RETURNING id`,
      [id, JSON.stringify(replay)],
    );
    if (updated.length === 0) {
      const event = await this.db.manager.findOneBy(SourceEvent, { id });
      if (!event) throw new NotFoundError('EVENT_NOT_FOUND', `event ${id} does not exist`);
      throw new ConflictError(
        'EVENT_IN_PROGRESS',
        `event ${id} is still being processed; replay it once it is done`,
      );
    }
    await this.dispatcher.dispatchEventIn(id, 0, `replay-${Date.now()}`);
    return { status: 'accepted' as const, event_id: id };
  }

  async trace(id: string) {
    const event = await this.db.manager.findOneBy(SourceEvent, { id });
    if (!event) throw new NotFoundError('EVENT_NOT_FOUND', `event ${id} does not exist`);
    const [settings, executions, runs] = await Promise.all([
      this.db.manager.findOneOrFail(SourceEnvironment, {
        where: { id: event.sourceEnvironmentId },
        relations: { source: true, environment: true },
      }),
      this.db.manager.find(ActionExecution, { where: { eventId: id }, order: { startedAt: 'ASC' } }),
      this.db.manager.find(WorkflowRun, { where: { sourceEventId: id }, order: { createdAt: 'ASC' } }),
    ]);
    const attempts = await this.db.manager.find(ActionAttempt, {
      where: { executionId: In(executions.map((e) => e.id)) },
      order: { attempt: 'ASC' },
    });
    const where = { source: settings.source!.key, environment: settings.environment!.slug };
    return toEventTrace(event, where, executions, attempts, runs);
  }
}
