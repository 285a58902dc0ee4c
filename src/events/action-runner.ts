import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ACTION_HANDLERS, ActionHandler, ActionInputError } from '../actions/actions';
import { isDatabaseUnavailable } from '../common/database-errors';
import { AppConfig } from '../config/app-config';
import { ActionMapping } from '../mappings/action-mapping.entity';
import { evaluateMapping } from '../mappings/evaluate';
import { ActionExecution, ExecutionStatus } from './action-execution.entity';
import { SourceEvent } from './source-event.entity';

// The execution row is claimed in the same transaction as the action's effect, and only over a failed one (or
// when a replay forces it): a redelivered or concurrent job finds it done and applies nothing.
// $5: when the attempt started; $6: forced.
const CLAIM_SQL = `
INSERT INTO action_executions (event_id, mapping_id, action, status, inputs, attempts, started_at)
VALUES ($1, $2, $3, 'succeeded', $4::jsonb, 1, $5)
ON CONFLICT (event_id, mapping_id) DO UPDATE SET
  status = 'succeeded', inputs = excluded.inputs, result = NULL, reason = NULL, error = NULL,
  attempts = action_executions.attempts + 1, started_at = excluded.started_at, finished_at = now()
WHERE action_executions.status = 'failed' OR $6
RETURNING id`;

// $1: execution id; $2: result; $3: forced.
const SUCCEEDED_SQL = `
WITH execution AS (
  UPDATE action_executions SET result = $2::jsonb, finished_at = now() WHERE id = $1
  RETURNING id, attempts, inputs, started_at
)
INSERT INTO action_attempts (execution_id, attempt, status, inputs, result, forced, started_at)
SELECT id, attempts, 'succeeded', inputs, $2::jsonb, $3, started_at FROM execution`;

// A skip or a failure, recorded on the execution and as one more attempt. $8: started at; $9: forced.
const RECORD_SQL = `
WITH execution AS (
  INSERT INTO action_executions (event_id, mapping_id, action, status, inputs, reason, error, attempts, started_at)
  VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, 1, $8)
  ON CONFLICT (event_id, mapping_id) DO UPDATE SET
    status = excluded.status, inputs = excluded.inputs, result = NULL, reason = excluded.reason,
    error = excluded.error, attempts = action_executions.attempts + 1, started_at = excluded.started_at,
    finished_at = now()
  WHERE action_executions.status = 'failed' OR $9
  RETURNING id, attempts
)
INSERT INTO action_attempts (execution_id, attempt, status, inputs, reason, error, forced, started_at)
SELECT id, attempts, $4, $5::jsonb, $6, $7, $9, $8 FROM execution
RETURNING attempt`;

class AlreadyExecuted extends Error {}

export interface RunOutcome {
  status: ExecutionStatus;
  /** Set when the action failed for a reason other than its inputs and may be tried again after this wait. */
  retryInSeconds?: number;
}

/** Runs one mapping's action for one event, at most once unless forced, and records every attempt. */
@Injectable()
export class ActionRunner {
  private readonly handlers: Map<string, ActionHandler>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    @Inject(ACTION_HANDLERS) handlers: ActionHandler[],
  ) {
    this.handlers = new Map(handlers.map((h) => [h.action, h]));
  }

  async run(
    event: SourceEvent,
    mapping: ActionMapping,
    environmentId: string,
    force = false,
  ): Promise<RunOutcome> {
    const previous = await this.db.manager.findOneBy(ActionExecution, {
      eventId: event.id,
      mappingId: mapping.id,
    });
    if (previous && previous.status !== 'failed' && !force) return { status: previous.status };

    const startedAt = new Date();
    const record = (status: ExecutionStatus, inputs: object, reason: string | null, error: string | null) =>
      this.db.query<{ attempt: number }[]>(RECORD_SQL, [
        event.id,
        mapping.id,
        mapping.action,
        status,
        JSON.stringify(inputs),
        reason,
        error,
        startedAt,
        force,
      ]);

    const evaluation = evaluateMapping(mapping, {
      body: event.payload,
      headers: event.headers,
      query: event.query,
    });
    if (evaluation.status === 'skipped') {
      await record('skipped', evaluation.inputs, evaluation.reason, null);
      return { status: 'skipped' };
    }
    if (evaluation.status === 'failed') {
      await record('failed', evaluation.inputs, null, evaluation.error);
      return { status: 'failed' };
    }
    const { inputs } = evaluation;
    const handler = this.handlers.get(mapping.action);
    if (!handler) {
      await record('failed', inputs, null, `action ${mapping.action} is not available`);
      return { status: 'failed' };
    }

    const committed: (() => Promise<unknown>)[] = [];
    try {
      await this.db.transaction(async (manager) => {
        // A row lock held elsewhere fails the attempt after this long instead of stalling the worker.
        await manager.query(`SET LOCAL lock_timeout = ${this.config.ACTION_LOCK_TIMEOUT_MS}`);
        const claimed = await manager.query<{ id: string }[]>(CLAIM_SQL, [
          event.id,
          mapping.id,
          mapping.action,
          JSON.stringify(inputs),
          startedAt,
          force,
        ]);
        if (claimed.length === 0) throw new AlreadyExecuted();
        const afterCommit = (work: () => Promise<unknown>) => void committed.push(work);
        const result = await handler.apply(
          { manager, environmentId, eventId: event.id, afterCommit },
          inputs,
        );
        await manager.query(SUCCEEDED_SQL, [claimed[0].id, JSON.stringify(result ?? null), force]);
      });
      for (const work of committed) await work();
      return { status: 'succeeded' };
    } catch (error) {
      if (error instanceof AlreadyExecuted) return { status: 'succeeded' };
      // Infrastructure trouble is not the action's failure: let the whole event be retried.
      if (isDatabaseUnavailable(error)) throw error;
      const recorded = await record(
        'failed',
        inputs,
        null,
        error instanceof Error ? error.message : String(error),
      );
      // No row: another worker recorded this execution first; leave it to them.
      const attempt = recorded[0]?.attempt ?? Infinity;
      // Bad inputs fail the same way every time; anything else (a lock timeout, say) may pass later.
      if (error instanceof ActionInputError || attempt >= this.config.ACTION_MAX_ATTEMPTS)
        return { status: 'failed' };
      return {
        status: 'failed',
        retryInSeconds: this.config.ACTION_RETRY_DELAY_SECONDS * 2 ** (attempt - 1),
      };
    }
  }
}
