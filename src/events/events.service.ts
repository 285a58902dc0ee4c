import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/domain-error';
import { findPage } from '../common/keyset';
import { SourceEnvironment } from '../sources/source-environment.entity';
import { SourcesService } from '../sources/sources.service';
import { ActionExecution } from './action-execution.entity';
import { toEventSummary, toEventTrace } from './dto/event.response';
import { ListEventsQuery } from './dto/list-events.query';
import { SourceEvent } from './source-event.entity';

@Injectable()
export class EventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sources: SourcesService,
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

  async trace(id: string) {
    const event = await this.db.manager.findOneBy(SourceEvent, { id });
    if (!event) throw new NotFoundError('EVENT_NOT_FOUND', `event ${id} does not exist`);
    const [settings, executions] = await Promise.all([
      this.db.manager.findOneOrFail(SourceEnvironment, {
        where: { id: event.sourceEnvironmentId },
        relations: { source: true, environment: true },
      }),
      this.db.manager.find(ActionExecution, { where: { eventId: id }, order: { startedAt: 'ASC' } }),
    ]);
    return toEventTrace(
      event,
      { source: settings.source!.key, environment: settings.environment!.slug },
      executions,
    );
  }
}
