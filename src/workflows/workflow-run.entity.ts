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
}
