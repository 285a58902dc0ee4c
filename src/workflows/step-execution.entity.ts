import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Step } from './workflow-steps';

export const STEP_STATUSES = ['running', 'waiting', 'retrying', 'succeeded', 'failed', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** One attempt of an http step, as the run's record shows it. */
export interface StepAttempt {
  attempt: number;
  /** Absent for an attempt whose worker stopped before recording it. */
  started_at?: string;
  finished_at?: string;
  status?: number;
  error?: string;
}

/** What happened at one step of one run. A step runs at most once per run; an http step may take attempts. */
@Entity('workflow_step_executions')
export class StepExecution {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column('uuid') runId: string;

  /** Where the step is in the workflow (`steps.2.then.0`). */
  @Column() step: string;

  @Column({ type: 'text', nullable: true }) ref: string | null;

  @Column({ type: 'text' }) type: Step['type'];

  @Column({ type: 'text' }) status: StepStatus;

  /** What the step worked on: the rendered request, the properties, the time waited for. */
  @Column({ type: 'jsonb', nullable: true }) input: unknown;

  /** What it produced: the response, the arm taken. */
  @Column({ type: 'jsonb', nullable: true }) output: unknown;

  @Column({ type: 'text', nullable: true }) error: string | null;

  @Column('int') attempts: number;

  @Column('jsonb') history: StepAttempt[];

  /** When the step was due (for a delay: when the wait ends). */
  @Column({ type: 'timestamptz', precision: 3 }) scheduledAt: Date;

  @Column({ type: 'timestamptz', precision: 3 }) startedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) finishedAt: Date | null;
}
