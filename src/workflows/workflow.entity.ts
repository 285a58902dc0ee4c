import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Step } from './workflow-steps';

/** A workflow's identity in one environment; its steps live in versions. */
@Entity('workflows')
export class Workflow {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column('uuid') environmentId: string;

  @Column() key: string;

  @Column() name: string;

  @Column() enabled: boolean;

  /** The current version: new runs start on it. */
  @Column('int') version: number;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
}

/** The steps of one save of a workflow. Never changed once written. */
@Entity('workflow_versions')
export class WorkflowVersion {
  @PrimaryColumn('uuid') workflowId: string;

  @PrimaryColumn('int') version: number;

  @Column('jsonb') steps: Step[];

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
