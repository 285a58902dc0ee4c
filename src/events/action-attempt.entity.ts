import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ExecutionStatus } from './action-execution.entity';

/** One try of a mapping's action on an event. Written by ActionRunner with SQL; read for the trace. */
@Entity('action_attempts')
export class ActionAttempt {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column('uuid') executionId: string;

  @Column('int') attempt: number;

  @Column({ type: 'text' }) status: ExecutionStatus;

  @Column({ type: 'jsonb', nullable: true }) inputs: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true }) result: unknown;

  @Column({ type: 'text', nullable: true }) reason: string | null;

  @Column({ type: 'text', nullable: true }) error: string | null;

  /** Run by a forced replay over an earlier success. */
  @Column() forced: boolean;

  @Column({ type: 'timestamptz', precision: 3 }) startedAt: Date;

  @Column({ type: 'timestamptz', precision: 3 }) finishedAt: Date;
}
