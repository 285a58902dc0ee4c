import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ActionInputError } from '../actions/actions';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/domain-error';
import { findPage } from '../common/keyset';
import { EnvironmentsService } from '../environments/environments.service';
import { Metrics } from '../metrics/metrics';
import { Dispatcher } from '../queue/dispatcher';
import { UsersService } from '../users/users.service';
import { ListRunsQuery } from './dto/list-runs.query';
import { toRunResponse, toStepResponse } from './dto/run.response';
import { StepExecution } from './step-execution.entity';
import { CancelRequest, TriggerRequest, toCancel, toTrigger } from './workflow-inputs';
import { cancelRuns } from './run-cancellation';
import { WorkflowRun } from './workflow-run.entity';
import { Workflow } from './workflow.entity';
import { WorkflowNotFoundError } from './workflows.service';

/** Starts and cancels runs, for the trigger_workflow and cancel_workflow actions and for the API alike. */
@Injectable()
export class WorkflowRunsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly environments: EnvironmentsService,
    private readonly users: UsersService,
    private readonly dispatcher: Dispatcher,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Identifies the people given as objects, then queues one run per recipient on the workflow's current version.
   * Throws ActionInputError when the workflow does not exist or is disabled.
   */
  async start(
    manager: EntityManager,
    environmentId: string,
    trigger: TriggerRequest,
    sourceEventId: string | null,
  ): Promise<string[]> {
    const workflow = await manager.findOneBy(Workflow, { environmentId, key: trigger.workflow });
    if (!workflow) throw new ActionInputError(`workflow "${trigger.workflow}" does not exist`);
    if (!workflow.enabled) throw new ActionInputError(`workflow "${trigger.workflow}" is disabled`);
    for (const person of [trigger.actor, ...trigger.recipients]) {
      if (person?.profile) await this.users.identify(manager, environmentId, person.profile);
    }
    const runs = await manager.save(
      WorkflowRun,
      trigger.recipients.map((recipient) =>
        manager.create(WorkflowRun, {
          environmentId,
          workflowKey: workflow.key,
          workflowVersion: workflow.version,
          recipientId: recipient.id,
          actorId: trigger.actor?.id ?? null,
          tenant: trigger.tenant,
          cancellationKey: trigger.cancellationKey,
          data: trigger.data,
          status: 'queued',
          sourceEventId,
        }),
      ),
    );
    this.metrics.workflowRuns.inc({ status: 'queued' }, runs.length);
    return runs.map((run) => run.id);
  }

  /** Cancels the unfinished runs of a workflow with a cancellation key (only some recipients', if named). */
  async cancel(manager: EntityManager, environmentId: string, cancel: CancelRequest): Promise<string[]> {
    const ids = await cancelRuns(
      manager,
      environmentId,
      cancel.workflow,
      cancel.cancellationKey,
      cancel.recipientIds,
    );
    this.metrics.workflowRuns.inc({ status: 'cancelled' }, ids.length);
    return ids;
  }

  /** POST …/workflows/:key/trigger */
  async triggerByApi(environmentSlug: string, key: string, inputs: Record<string, unknown>) {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    const workflow = await this.db.manager.findOneBy(Workflow, { environmentId: environment.id, key });
    if (!workflow) throw new WorkflowNotFoundError(key, environmentSlug);
    if (!workflow.enabled) throw new ConflictError('WORKFLOW_DISABLED', `workflow "${key}" is disabled`);
    const trigger = asValidation(() => toTrigger({ ...inputs, workflow: key }));
    const runs = await this.db.transaction((manager) => this.start(manager, environment.id, trigger, null));
    void this.dispatcher.dispatchRuns(runs);
    return { workflow: key, runs };
  }

  /** POST …/workflows/:key/cancel */
  async cancelByApi(environmentSlug: string, key: string, inputs: Record<string, unknown>) {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    const cancel = asValidation(() => toCancel({ ...inputs, workflow: key }));
    return { workflow: key, cancelled: await this.cancel(this.db.manager, environment.id, cancel) };
  }

  async list(environmentSlug: string, query: ListRunsQuery) {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    const qb = this.db
      .getRepository(WorkflowRun)
      .createQueryBuilder('r')
      .where('r.environmentId = :id', { id: environment.id });
    if (query.workflow) qb.andWhere('r.workflowKey = :workflow', { workflow: query.workflow });
    if (query.recipient) qb.andWhere('r.recipientId = :recipient', { recipient: query.recipient });
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    return findPage(qb, 'createdAt', query, toRunResponse);
  }

  async get(environmentSlug: string, id: string) {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    const run = await this.db.manager.findOneBy(WorkflowRun, { environmentId: environment.id, id });
    if (!run)
      throw new NotFoundError(
        'WORKFLOW_RUN_NOT_FOUND',
        `workflow run ${id} does not exist in ${environmentSlug}`,
      );
    const steps = await this.db.manager.find(StepExecution, {
      where: { runId: run.id },
      order: { startedAt: 'ASC', step: 'ASC' },
    });
    return { ...toRunResponse(run), steps: steps.map(toStepResponse) };
  }
}

/** Input errors from the API are the caller's to fix: 422. */
function asValidation<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ActionInputError) throw new ValidationFailedError(error.message);
    throw error;
  }
}
