import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const RUN_STATUSES = ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One recipient's run of a workflow. */
@Entity('workflow_runs')
export class WorkflowRun {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column('uuid') environmentId: string;

  @Column() workflowKey: string;

  @Column({ type: 'int', nullable: true }) workflowVersion: number | null;

  @Column() recipientId: string;

  @Column({ type: 'text', nullable: true }) actorId: string | null;

  @Column({ type: 'text', nullable: true }) tenant: string | null;

  @Column({ type: 'text', nullable: true }) cancellationKey: string | null;

  @Column('jsonb') data: Record<string, unknown>;

  @Column({ type: 'text' }) status: RunStatus;

  /** The event whose trigger_workflow action started the run; null when started through the API. */
  @Column({ type: 'uuid', nullable: true }) sourceEventId: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) cancelledAt: Date | null;

  /** The path of the step to run next (`steps.2.then.0`); null once the run has finished. */
  @Column({ type: 'text', nullable: true }) currentStep: string | null;

  /** When the current step is due; null once the run has finished. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) nextStepAt: Date | null;

  /** Set by the worker running the run; its writes are void once another worker has taken over. */
  @Column({ type: 'uuid', nullable: true }) leaseToken: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) leaseExpiresAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) startedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) finishedAt: Date | null;

  /** Claims since the run last committed a step; past MAX_CLAIMS_WITHOUT_PROGRESS the run is failed. */
  @Column({ type: 'int', default: 0 }) claimsWithoutProgress: number;

  /** Why the run failed. */
  @Column({ type: 'text', nullable: true }) error: string | null;
}
