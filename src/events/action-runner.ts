import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ACTION_HANDLERS, ActionHandler } from '../actions/actions';
import { isDatabaseUnavailable } from '../common/database-errors';
import { ActionMapping } from '../mappings/action-mapping.entity';
import { evaluateMapping } from '../mappings/evaluate';
import { ActionExecution, ExecutionStatus } from './action-execution.entity';
import { SourceEvent } from './source-event.entity';

// The execution row is written in the same transaction as the action's effect, and only over a failed one:
// a redelivered or concurrent job finds it done and applies nothing.
const CLAIM_SQL = `
INSERT INTO action_executions (event_id, mapping_id, action, status, inputs, attempts)
VALUES ($1, $2, $3, 'succeeded', $4::jsonb, 1)
ON CONFLICT (event_id, mapping_id) DO UPDATE SET
  status = 'succeeded', inputs = excluded.inputs, error = NULL, attempts = action_executions.attempts + 1,
  started_at = now(), finished_at = now()
WHERE action_executions.status = 'failed'
RETURNING id`;

const RECORD_SQL = `
INSERT INTO action_executions (event_id, mapping_id, action, status, inputs, reason, error, attempts)
VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, 1)
ON CONFLICT (event_id, mapping_id) DO UPDATE SET
  status = excluded.status, inputs = excluded.inputs, reason = excluded.reason, error = excluded.error,
  attempts = action_executions.attempts + 1, started_at = now(), finished_at = now()
WHERE action_executions.status = 'failed'`;

class AlreadyExecuted extends Error {}

/** Runs one mapping's action for one event, at most once, and records what happened. */
@Injectable()
export class ActionRunner {
  private readonly handlers: Map<string, ActionHandler>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ACTION_HANDLERS) handlers: ActionHandler[],
  ) {
    this.handlers = new Map(handlers.map((h) => [h.action, h]));
  }

  async run(event: SourceEvent, mapping: ActionMapping, environmentId: string): Promise<ExecutionStatus> {
    const previous = await this.db.manager.findOneBy(ActionExecution, {
      eventId: event.id,
      mappingId: mapping.id,
    });
    if (previous && previous.status !== 'failed') return previous.status;

    const envelope = { body: event.payload, headers: event.headers, query: event.query };
    const evaluation = evaluateMapping(mapping, envelope);
    if (evaluation.status !== 'matched') {
      const reason = evaluation.status === 'skipped' ? evaluation.reason : null;
      const error = evaluation.status === 'failed' ? evaluation.error : null;
      await this.record(event, mapping, evaluation.status, evaluation.inputs, reason, error);
      return evaluation.status;
    }
    const { inputs } = evaluation;

    const handler = this.handlers.get(mapping.action);
    if (!handler) {
      await this.record(event, mapping, 'failed', inputs, null, `action ${mapping.action} is not available`);
      return 'failed';
    }
    try {
      await this.db.transaction(async (manager) => {
        const claimed = await manager.query<{ id: string }[]>(CLAIM_SQL, [
          event.id,
          mapping.id,
          mapping.action,
          JSON.stringify(inputs),
        ]);
        if (claimed.length === 0) throw new AlreadyExecuted();
        const result = await handler.apply({ manager, environmentId, eventId: event.id }, inputs);
        await manager.update(
          ActionExecution,
          { id: claimed[0].id },
          { result: result as object, finishedAt: new Date() },
        );
      });
      return 'succeeded';
    } catch (error) {
      if (error instanceof AlreadyExecuted) return 'succeeded';
      // Infrastructure trouble is not the action's failure: let the whole event be retried.
      if (isDatabaseUnavailable(error)) throw error;
      await this.record(
        event,
        mapping,
        'failed',
        inputs,
        null,
        error instanceof Error ? error.message : String(error),
      );
      return 'failed';
    }
  }

  private async record(
    event: SourceEvent,
    mapping: ActionMapping,
    status: ExecutionStatus,
    inputs: Record<string, unknown>,
    reason: string | null,
    error: string | null,
  ): Promise<void> {
    await this.db.query(RECORD_SQL, [
      event.id,
      mapping.id,
      mapping.action,
      status,
      JSON.stringify(inputs),
      reason,
      error,
    ]);
  }
}
