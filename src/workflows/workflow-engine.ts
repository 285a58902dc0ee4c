import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { parseRootedPath, resolvePath } from '../common/paths';
import { renderStrings, TemplateError } from '../common/templates';
import { AppConfig } from '../config/app-config';
import { checkConditions } from '../mappings/conditions';
import { Metrics } from '../metrics/metrics';
import { Dispatcher } from '../queue/dispatcher';
import { toUserResponse } from '../users/dto/user.response';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import {
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_SECONDS,
  describeRequest,
  describeResponse,
  judgeStatus,
  RenderedRequest,
  renderRequest,
  ResponseVerdict,
  retryDelaySeconds,
  StepInputError,
} from './http-step';
import { HostSlots } from './host-slots';
import { RefusedTargetError, sendRequest } from './outbound-http';
import { StepAttempt, StepExecution, StepStatus } from './step-execution.entity';
import { Cursor, enterArm, nextCursor, stepAt } from './workflow-cursor';
import { RunStatus, WorkflowRun } from './workflow-run.entity';
import { DelayStep, HttpStep, parseDuration, RUN_SCOPE_ROOTS, Step } from './workflow-steps';

/**
 * A run claimed this many times without recording a step as done, failed or waiting (its processing threw, or its
 * worker died, each time) is failed rather than retried forever.
 */
export const MAX_CLAIMS_WITHOUT_PROGRESS = 10;

// Takes a run that is due, unless a worker holds a live lease on it.
const CLAIM_SQL = `
UPDATE workflow_runs
SET status = 'running', lease_token = $2, lease_expires_at = now() + make_interval(secs => $3),
    started_at = COALESCE(started_at, now()), updated_at = now(),
    claims_without_progress = claims_without_progress + 1
WHERE id = $1 AND status IN ('queued', 'running', 'waiting') AND next_step_at <= now()
  AND (lease_expires_at IS NULL OR lease_expires_at < now())
RETURNING id`;

const STEPS_SQL = `
SELECT v.steps FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
WHERE w.environment_id = $1 AND w.key = $2 AND v.version = $3`;

const RECORD_STEP_SQL = `
INSERT INTO workflow_step_executions
  (run_id, step, ref, type, status, input, output, error, attempts, history, scheduled_at, finished_at)
VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10::jsonb, $11, $12)
ON CONFLICT (run_id, step) DO UPDATE SET
  status = excluded.status, input = excluded.input, output = excluded.output, error = excluded.error,
  attempts = excluded.attempts, history = excluded.history, scheduled_at = excluded.scheduled_at,
  finished_at = excluded.finished_at`;

// $6: seconds the lease lasts from now for a run that goes on; null lets the lease go (the run waits or ended).
const MOVE_RUN_SQL = `
UPDATE workflow_runs SET
  status = $2, current_step = $3, next_step_at = $4, error = $5,
  lease_token = CASE WHEN $6::int IS NULL THEN NULL ELSE lease_token END,
  lease_expires_at = CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(secs => $6::int) END,
  claims_without_progress = CASE $7::text WHEN 'keep' THEN claims_without_progress
    WHEN 'give-back' THEN claims_without_progress - 1 ELSE 0 END,
  finished_at = CASE WHEN $2 IN ('completed', 'failed') THEN now() END,
  updated_at = now()
WHERE id = $1`;

/** What one step did, as its execution row records it. */
interface StepRecord {
  status: StepStatus;
  input?: unknown;
  output?: unknown;
  error?: string | null;
  attempts?: number;
  history?: StepAttempt[];
  scheduledAt: Date;
  finished: boolean;
}

/**
 * Where the run goes next. `nextStepAt` set: the run waits until then with no lease, and a delayed job (or the
 * reconciler) brings it back. A failed run keeps `at` on the step that failed.
 */
interface RunMove {
  status: RunStatus;
  at: Cursor;
  nextStepAt?: Date;
  error?: string;
  /** How long the lease lasts from now, when the run goes on at once. */
  leaseSeconds?: number;
  /**
   * What the move does to the run's claims without progress: by default it resets them (a step was recorded
   * as done, failed or waiting). `keep`: a record before a request goes out, which is not progress yet;
   * `give-back`: the run only makes way for others, and this claim does not count.
   */
  claims?: 'keep' | 'give-back';
}

interface RequestOutcome {
  startedAt: string;
  verdict: ResponseVerdict;
  output: ReturnType<typeof describeResponse> | null;
  error: string | null;
  retryAfter?: string;
}

/** A run's view of the world: what its templates, conditions and paths see. */
type RunScope = Record<string, unknown>;

/** What a step returns when the run does not go on now: it waits, or it ended. */
const STOPPED = Symbol('stopped');

/** The run was cancelled or another worker took it over: this worker must stop touching it. */
class LostRun extends Error {}

/**
 * Runs workflow runs step by step. Every step's outcome and the run's next position are committed together, by
 * the worker holding the run's lease only, so a crash at any point resumes at the step that was not recorded.
 * Only an http step can be repeated that way, and it carries the same Idempotency-Key each time.
 */
@Injectable()
export class WorkflowEngine {
  private readonly logger = new Logger(WorkflowEngine.name);
  private readonly hostSlots: HostSlots;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly dispatcher: Dispatcher,
    private readonly metrics: Metrics,
  ) {
    this.hostSlots = new HostSlots(config.WORKFLOW_HTTP_CONCURRENCY_PER_HOST);
  }

  /** Runs the run's due steps until it waits or ends. Safe to call any number of times for the same run. */
  async advance(runId: string): Promise<void> {
    const token = randomUUID();
    const [claimed] = await this.db.query<[unknown[], number]>(CLAIM_SQL, [
      runId,
      token,
      this.config.PROCESSING_LEASE_SECONDS,
    ]);
    if (claimed.length === 0) return this.comeBackWhenDue(runId);
    const run = await this.db.manager.findOneByOrFail(WorkflowRun, { id: runId });
    if (run.claimsWithoutProgress > MAX_CLAIMS_WITHOUT_PROGRESS) return this.giveUp(run, token);
    try {
      await this.runSteps(run, token);
    } catch (error) {
      if (error instanceof LostRun) return;
      // Let go so that the job's retry need not wait for the lease to run out.
      await this.db
        .query(
          `UPDATE workflow_runs SET lease_token = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_token = $2`,
          [runId, token],
        )
        .catch((releaseError: Error) =>
          this.logger.warn(`could not release run ${runId}: ${releaseError.message}`),
        );
      throw error;
    }
  }

  /** Fails a run whose processing keeps failing, and the step it was on, if that step had started. */
  private giveUp(run: WorkflowRun, token: string): Promise<void> {
    const error = `gave up after ${MAX_CLAIMS_WITHOUT_PROGRESS} attempts that failed before recording a step (see the worker's logs)`;
    return this.moveRun(run.id, token, { status: 'failed', at: run.currentStep, error }, (manager) =>
      manager.query(
        `UPDATE workflow_step_executions SET status = 'failed', error = $3, finished_at = now()
          WHERE run_id = $1 AND step = $2 AND finished_at IS NULL`,
        [run.id, run.currentStep, error],
      ),
    );
  }

  /** A job that came before its run was due (clocks differ a little) queues itself again for the due time. */
  private async comeBackWhenDue(runId: string): Promise<void> {
    const run = await this.db.manager.findOneBy(WorkflowRun, { id: runId });
    if (run?.nextStepAt && !run.leaseToken && ['queued', 'running', 'waiting'].includes(run.status)) {
      if (run.nextStepAt.getTime() > Date.now()) {
        await this.dispatcher.dispatchRunAt(run.id, run.nextStepAt, `due-${run.nextStepAt.getTime()}`);
      }
    }
  }

  private async runSteps(run: WorkflowRun, token: string): Promise<void> {
    const [version] = await this.db.query<{ steps: Step[] }[]>(STEPS_SQL, [
      run.environmentId,
      run.workflowKey,
      run.workflowVersion,
    ]);
    if (!version) {
      return this.moveRun(run.id, token, {
        status: 'failed',
        at: run.currentStep,
        error: `version ${run.workflowVersion} of workflow "${run.workflowKey}" no longer exists`,
      });
    }
    let at = run.currentStep;
    while (at !== null) {
      const step = stepAt(version.steps, at);
      if (!step) {
        const error = `workflow "${run.workflowKey}" version ${run.workflowVersion} has no step ${at}`;
        return this.moveRun(run.id, token, { status: 'failed', at, error });
      }
      const next = await this.runStep(run, token, version.steps, at, step);
      if (next === STOPPED) return;
      at = next;
    }
    await this.moveRun(run.id, token, { status: 'completed', at: null });
  }

  /** Runs one step; returns where the run goes on, or STOPPED. */
  private async runStep(
    run: WorkflowRun,
    token: string,
    steps: Step[],
    at: string,
    step: Step,
  ): Promise<Cursor | typeof STOPPED> {
    const previous = await this.db.manager.findOneBy(StepExecution, { runId: run.id, step: at });
    const scheduledAt = previous?.scheduledAt ?? run.nextStepAt ?? new Date();
    const scope = await this.scope(run);
    const next = nextCursor(steps, at);
    const record = (done: StepRecord, move: RunMove, effect?: (manager: EntityManager) => Promise<unknown>) =>
      this.commit(run, token, { at, step }, done, move, effect);
    const fail = (error: string, details: Partial<StepRecord> = {}) =>
      this.failStep(run, token, { at, step }, next, {
        ...details,
        status: 'failed',
        error,
        scheduledAt,
        finished: true,
      });

    switch (step.type) {
      case 'delay':
        return this.delay(run, token, at, step, previous, scope, next);
      case 'branch': {
        const verdict = checkConditions(step.conditions, scope);
        const arm = verdict.ok ? 'then' : 'else';
        await record(
          {
            status: 'succeeded',
            input: { conditions: step.conditions },
            output: { arm, ...(verdict.ok ? {} : { reason: verdict.reason }) },
            scheduledAt,
            finished: true,
          },
          { status: 'running', at: enterArm(steps, at, arm) },
        );
        return enterArm(steps, at, arm);
      }
      case 'update_user': {
        let properties: Record<string, unknown>;
        try {
          properties = renderStrings(step.properties, scope) as Record<string, unknown>;
        } catch (error) {
          return fail((error as TemplateError).message);
        }
        await record(
          { status: 'succeeded', input: { properties }, scheduledAt, finished: true },
          { status: 'running', at: next },
          (manager) =>
            this.users.setProperties(manager, run.environmentId, {
              id: run.recipientId,
              properties,
              unset: [],
              onlyIfMissing: false,
            }),
        );
        return next;
      }
      case 'http':
        return this.http(run, token, at, step, previous, scope, next, scheduledAt);
    }
  }

  /** Waits until the step's time (kept from its first visit, so a resumed run does not wait again). */
  private async delay(
    run: WorkflowRun,
    token: string,
    at: string,
    step: DelayStep,
    previous: StepExecution | null,
    scope: RunScope,
    next: Cursor,
  ): Promise<Cursor | typeof STOPPED> {
    let until = previous?.scheduledAt;
    if (!until) {
      const seconds = step.duration !== undefined ? parseDuration(step.duration) : null;
      if (seconds !== null) until = new Date(Date.now() + seconds * 1000);
      else {
        const value = resolvePath(scope, parseRootedPath(step.until!, RUN_SCOPE_ROOTS));
        const time = typeof value === 'string' ? new Date(value) : undefined;
        if (!time || Number.isNaN(time.getTime())) {
          const error = `until: ${step.until} is ${JSON.stringify(value) ?? 'missing'}, not an ISO time`;
          return this.failStep(run, token, { at, step }, next, {
            status: 'failed',
            input: { until: step.until },
            error,
            scheduledAt: new Date(),
            finished: true,
          });
        }
        until = time;
      }
    }
    const input = { until: until.toISOString() };
    if (until.getTime() <= Date.now()) {
      await this.commit(
        run,
        token,
        { at, step },
        { status: 'succeeded', input, scheduledAt: until, finished: true },
        {
          status: 'running',
          at: next,
        },
      );
      return next;
    }
    await this.commit(
      run,
      token,
      { at, step },
      { status: 'waiting', input, scheduledAt: until, finished: false },
      {
        status: 'waiting',
        at,
        nextStepAt: until,
      },
    );
    await this.dispatcher.dispatchRunAt(run.id, until, `wait-${at}`);
    return STOPPED;
  }

  /** Sends one attempt of an http step; on a failure that may pass, schedules the next attempt. */
  private async http(
    run: WorkflowRun,
    token: string,
    at: string,
    step: HttpStep,
    previous: StepExecution | null,
    scope: RunScope,
    next: Cursor,
    scheduledAt: Date,
  ): Promise<Cursor | typeof STOPPED> {
    const attempt = (previous?.attempts ?? 0) + 1;
    const history = [...(previous?.history ?? [])];
    if (previous?.status === 'running') {
      history.push({
        attempt: previous.attempts,
        error:
          'no answer recorded: the worker stopped during the request; sending again with the same Idempotency-Key',
      });
    }
    const timeoutSeconds = step.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS;
    let request;
    try {
      request = renderRequest(step, scope, `${run.id}/${at}`);
    } catch (error) {
      if (!(error instanceof StepInputError)) throw error;
      return this.failStep(run, token, { at, step }, next, {
        status: 'failed',
        error: error.message,
        attempts: attempt,
        history,
        scheduledAt,
        finished: true,
      });
    }
    const host = request.url.host;
    if (!this.hostSlots.take(host)) {
      // This worker already waits on enough requests to that host: come back shortly, freeing the slot for others.
      const when = new Date(Date.now() + 1000 + Math.random() * 1000);
      await this.moveRun(run.id, token, { status: 'running', at, nextStepAt: when, claims: 'give-back' });
      await this.dispatcher.dispatchRunAt(run.id, when, `host-busy-${at}-${when.getTime()}`);
      return STOPPED;
    }
    const input = describeRequest(step, request);
    let outcome: RequestOutcome;
    try {
      // Recorded before sending: should this worker die now, the next one knows the request may have gone out.
      await this.commit(
        run,
        token,
        { at, step },
        { status: 'running', input, attempts: attempt, history, scheduledAt, finished: false },
        {
          status: 'running',
          at,
          leaseSeconds: this.config.PROCESSING_LEASE_SECONDS + timeoutSeconds,
          claims: 'keep',
        },
      );
      outcome = await this.send(request, timeoutSeconds);
    } finally {
      this.hostSlots.give(host);
    }
    const { verdict, output, error, retryAfter, startedAt } = outcome;
    const tried: StepAttempt = {
      attempt,
      started_at: startedAt,
      finished_at: new Date().toISOString(),
      ...(output ? { status: (output as { status: number }).status } : {}),
      ...(error ? { error } : {}),
    };
    const done = { input, output, error, attempts: attempt, history: [...history, tried], scheduledAt };

    if (verdict === 'succeeded') {
      await this.commit(
        run,
        token,
        { at, step },
        { ...done, status: 'succeeded', finished: true },
        {
          status: 'running',
          at: next,
        },
      );
      return next;
    }
    if (verdict === 'retry' && attempt <= (step.retries ?? DEFAULT_RETRIES)) {
      const seconds = retryDelaySeconds(attempt, this.config.ACTION_RETRY_DELAY_SECONDS, retryAfter);
      const when = new Date(Date.now() + seconds * 1000);
      await this.commit(
        run,
        token,
        { at, step },
        { ...done, status: 'retrying', finished: false },
        {
          status: 'running',
          at,
          nextStepAt: when,
        },
      );
      await this.dispatcher.dispatchRunAt(run.id, when, `retry-${at}-${attempt}`);
      return STOPPED;
    }
    return this.failStep(run, token, { at, step }, next, { ...done, status: 'failed', finished: true });
  }

  /** One attempt at the request, judged; the target's failures are outcomes, not exceptions. */
  private async send(request: RenderedRequest, timeoutSeconds: number): Promise<RequestOutcome> {
    const startedAt = new Date().toISOString();
    try {
      const response = await sendRequest({
        ...request,
        timeoutMs: timeoutSeconds * 1000,
        allowedHosts: this.config.allowedHttpHosts,
      });
      const verdict = judgeStatus(response.status);
      return {
        startedAt,
        verdict,
        output: describeResponse(response),
        error: verdict === 'succeeded' ? null : `the target answered ${response.status}`,
        retryAfter: response.retryAfter,
      };
    } catch (sendError) {
      return {
        startedAt,
        verdict: sendError instanceof RefusedTargetError ? 'failed' : 'retry',
        output: null,
        error: (sendError as Error).message,
      };
    }
  }

  /** Records a failed step; the run fails with it unless the step says to continue. */
  private async failStep(
    run: WorkflowRun,
    token: string,
    where: { at: string; step: Step },
    next: Cursor,
    record: StepRecord,
  ): Promise<Cursor | typeof STOPPED> {
    if (where.step.continue_on_failure) {
      await this.commit(run, token, where, record, { status: 'running', at: next });
      return next;
    }
    const name = where.step.ref ? `${where.at} (${where.step.ref})` : where.at;
    await this.commit(run, token, where, record, {
      status: 'failed',
      at: where.at,
      error: `step ${name} failed: ${record.error}`,
    });
    return STOPPED;
  }

  /**
   * Records the step and moves the run in one transaction, with the step's effect if it has one (its result is
   * the step's output), provided this worker still holds the run. Throws LostRun otherwise, and nothing is written.
   */
  private async commit(
    run: WorkflowRun,
    token: string,
    where: { at: string; step: Step },
    record: StepRecord,
    move: RunMove,
    effect?: (manager: EntityManager) => Promise<unknown>,
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.lockRun(manager, run.id, token);
      const result = await effect?.(manager);
      await manager.query(RECORD_STEP_SQL, [
        run.id,
        where.at,
        where.step.ref ?? null,
        where.step.type,
        record.status,
        JSON.stringify(record.input ?? null),
        JSON.stringify(record.output ?? result ?? null),
        record.error ?? null,
        record.attempts ?? 1,
        JSON.stringify(record.history ?? []),
        record.scheduledAt,
        record.finished ? new Date() : null,
      ]);
      await this.moveRunIn(manager, run.id, move);
    });
    this.counted(move);
  }

  /** Moves the run, with `effect` in the same transaction, provided this worker still holds it. */
  private async moveRun(
    runId: string,
    token: string,
    move: RunMove,
    effect?: (manager: EntityManager) => Promise<unknown>,
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.lockRun(manager, runId, token);
      await effect?.(manager);
      await this.moveRunIn(manager, runId, move);
    });
    this.counted(move);
  }

  private counted(move: RunMove): void {
    if (move.status === 'completed' || move.status === 'failed')
      this.metrics.workflowRuns.inc({ status: move.status });
  }

  private async lockRun(manager: EntityManager, runId: string, token: string): Promise<void> {
    const held = await manager.query<unknown[]>(
      `SELECT 1 FROM workflow_runs WHERE id = $1 AND lease_token = $2 AND status = 'running' FOR UPDATE`,
      [runId, token],
    );
    if (held.length === 0) throw new LostRun();
  }

  private async moveRunIn(manager: EntityManager, runId: string, move: RunMove): Promise<void> {
    const finished = move.status === 'completed' || move.status === 'failed';
    const goesOn = !finished && move.nextStepAt === undefined;
    await manager.query(MOVE_RUN_SQL, [
      runId,
      move.status,
      move.at,
      // A run that goes on is due now: should its worker die, the reconciler finds it once the lease lapses.
      finished ? null : (move.nextStepAt ?? new Date()),
      move.error ?? null,
      goesOn ? (move.leaseSeconds ?? this.config.PROCESSING_LEASE_SECONDS) : null,
      move.claims ?? 'reset',
    ]);
  }

  /** `{ recipient, actor, data, tenant, workflow, run }`, with recipient and actor as their user records. */
  private async scope(run: WorkflowRun): Promise<RunScope> {
    const person = async (id: string | null) => {
      if (id === null) return null;
      const user = await this.db.manager.findOneBy(User, { environmentId: run.environmentId, id });
      return user ? toUserResponse(user) : { id, properties: {} };
    };
    return {
      recipient: await person(run.recipientId),
      actor: await person(run.actorId),
      data: run.data,
      tenant: run.tenant,
      workflow: { key: run.workflowKey, version: run.workflowVersion },
      run: { id: run.id, created_at: run.createdAt, started_at: run.startedAt },
    };
  }
}
