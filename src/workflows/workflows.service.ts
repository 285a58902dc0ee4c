import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundError, ValidationFailedError } from '../common/domain-error';
import { findPage } from '../common/keyset';
import { ListQueryDto } from '../common/pagination';
import { SLUG_PATTERN } from '../common/slug';
import { AppConfig } from '../config/app-config';
import { EnvironmentsService } from '../environments/environments.service';
import { Metrics } from '../metrics/metrics';
import { PutWorkflowDto } from './dto/put-workflow.dto';
import { toWorkflowResponse, toWorkflowSummary } from './dto/workflow.response';
import { cancelRuns } from './run-cancellation';
import { restoreHeaders } from './workflow-secrets';
import { stepsProblems } from './workflow-steps';
import { Workflow, WorkflowVersion } from './workflow.entity';

export class WorkflowNotFoundError extends NotFoundError {
  constructor(key: string, environment: string, version?: number) {
    super(
      'WORKFLOW_NOT_FOUND',
      version
        ? `workflow "${key}" has no version ${version} in ${environment}`
        : `workflow "${key}" does not exist in ${environment}`,
    );
  }
}

@Injectable()
export class WorkflowsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly environments: EnvironmentsService,
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  async list(environmentSlug: string, query: ListQueryDto) {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    const qb = this.db
      .getRepository(Workflow)
      .createQueryBuilder('w')
      .where('w.environmentId = :id', { id: environment.id });
    return findPage(qb, 'createdAt', query, toWorkflowSummary, true);
  }

  async get(environmentSlug: string, key: string, version?: number) {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    const workflow = await this.db.manager.findOneBy(Workflow, { environmentId: environment.id, key });
    if (!workflow) throw new WorkflowNotFoundError(key, environmentSlug);
    const steps = await this.db.manager.findOneBy(WorkflowVersion, {
      workflowId: workflow.id,
      version: version ?? workflow.version,
    });
    if (!steps) throw new WorkflowNotFoundError(key, environmentSlug, version);
    return toWorkflowResponse(workflow, steps);
  }

  /** Saves a new version (creating the workflow on its first save). Runs already started keep theirs. */
  async put(environmentSlug: string, key: string, dto: PutWorkflowDto) {
    if (!SLUG_PATTERN.test(key)) {
      throw ValidationFailedError.fromProblems({
        key: 'key must be lowercase letters, digits, "-" or "_" (at most 64)',
      });
    }
    const stepProblems = stepsProblems(dto.steps, this.config.allowedHttpHosts);
    if (Object.keys(stepProblems).length > 0) throw ValidationFailedError.fromProblems(stepProblems);
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    await this.db.transaction(async (manager) => {
      const workflow = await this.lockOrCreate(manager, environment.id, key, dto.name);
      const previous = workflow.version
        ? await manager.findOneBy(WorkflowVersion, { workflowId: workflow.id, version: workflow.version })
        : null;
      const secretProblems = restoreHeaders(dto.steps, previous?.steps ?? null);
      if (Object.keys(secretProblems).length > 0) throw ValidationFailedError.fromProblems(secretProblems);
      const version = workflow.version + 1;
      await manager.insert(WorkflowVersion, { workflowId: workflow.id, version, steps: dto.steps as never });
      await manager.update(
        Workflow,
        { id: workflow.id },
        { name: dto.name, enabled: dto.enabled ?? workflow.enabled, version },
      );
    });
    return this.get(environmentSlug, key);
  }

  /** Deletes the workflow with its versions, and cancels its runs that have not finished. */
  async delete(environmentSlug: string, key: string): Promise<void> {
    const environment = await this.environments.getEntity(this.db.manager, environmentSlug);
    await this.db.transaction(async (manager) => {
      const { affected } = await manager.delete(Workflow, { environmentId: environment.id, key });
      if (!affected) throw new WorkflowNotFoundError(key, environmentSlug);
      const cancelled = await cancelRuns(manager, environment.id, key, null, null);
      this.metrics.workflowRuns.inc({ status: 'cancelled' }, cancelled.length);
    });
  }

  /** The workflow's row, locked for this save; a new one (at version 0) on the first save. */
  private async lockOrCreate(
    manager: EntityManager,
    environmentId: string,
    key: string,
    name: string,
  ): Promise<Workflow> {
    await manager.query(
      `INSERT INTO workflows (environment_id, key, name, version) VALUES ($1, $2, $3, 0)
       ON CONFLICT (environment_id, key) DO NOTHING`,
      [environmentId, key, name],
    );
    return manager.findOneOrFail(Workflow, {
      where: { environmentId, key },
      lock: { mode: 'pessimistic_write' },
    });
  }
}
