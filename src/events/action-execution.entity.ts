import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const EXECUTION_STATUSES = ['succeeded', 'skipped', 'failed'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** What one mapping did with one event. Unique per (event, mapping): an action is applied at most once. */
@Entity('action_executions')
export class ActionExecution {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column('uuid') eventId: string;

  @Column('uuid') mappingId: string;

  @Column() action: string;

  @Column({ type: 'text' }) status: ExecutionStatus;

  @Column({ type: 'jsonb', nullable: true }) inputs: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true }) result: unknown;

  /** Why the action was skipped. */
  @Column({ type: 'text', nullable: true }) reason: string | null;

  @Column({ type: 'text', nullable: true }) error: string | null;

  @Column('int') attempts: number;

  @Column({ type: 'timestamptz', precision: 3 }) startedAt: Date;

  @Column({ type: 'timestamptz', precision: 3 }) finishedAt: Date;
}
