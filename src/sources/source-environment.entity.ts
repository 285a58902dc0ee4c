import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Environment } from '../environments/environment.entity';
import { Source } from './source.entity';

export const VERIFICATION_TYPES = ['none', 'header', 'hmac_sha256', 'standard_webhooks'] as const;
export type VerificationType = (typeof VERIFICATION_TYPES)[number];

/** How a request proves it came from the sender. The secret is write-only on the API. */
export interface Verification {
  type: VerificationType;
  header?: string;
  secret?: string;
}

/** A source's settings in one environment: its ingestion token and how its events are read. */
@Entity('source_environments')
export class SourceEnvironment {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column('uuid') sourceId: string;

  @ManyToOne(() => Source, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: Source;

  @Column('uuid') environmentId: string;

  @ManyToOne(() => Environment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'environment_id' })
  environment?: Environment;

  @Column() token: string;

  @Column() enabled: boolean;

  @Column() eventTypePath: string;

  @Column({ type: 'text', nullable: true }) timestampPath: string | null;

  @Column() idempotencyEnabled: boolean;

  @Column({ type: 'text', nullable: true }) idempotencyKeyPath: string | null;

  @Column('int') idempotencyWindowSeconds: number;

  @Column('jsonb') verification: Verification;

  /** Bumped on every change; ingestion's cached copy is checked against it in the insert statement. */
  @VersionColumn() version: number;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
