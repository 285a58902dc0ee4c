import { Column, Entity, PrimaryColumn } from 'typeorm';

export const EVENT_STATUSES = [
  'accepted',
  'processing',
  'processed',
  'partially_failed',
  'failed',
  'no_mapping',
] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface Replay {
  /** Only these mappings; all of the event's when absent. */
  mapping_ids?: string[];
  /** Re-apply actions that already succeeded. */
  force: boolean;
}

/** One accepted request to an ingestion URL. Written by ingestion with raw SQL (one round trip). */
@Entity('source_events')
export class SourceEvent {
  @PrimaryColumn('uuid') id: string;

  @Column('uuid') sourceEnvironmentId: string;

  @Column({ type: 'text' }) status: EventStatus;

  @Column({ type: 'text', nullable: true }) eventType: string | null;

  @Column({ type: 'text', nullable: true }) idempotencyKey: string | null;

  /** Why the event was not deduplicated, when it was not. */
  @Column({ type: 'text', nullable: true }) idempotencyNote: string | null;

  /** The verification the request passed (`none` when the source has none). */
  @Column() verification: string;

  @Column('jsonb') payload: unknown;

  @Column('jsonb') headers: Record<string, string>;

  @Column('jsonb') query: Record<string, unknown>;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) occurredAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3 }) receivedAt: Date;

  @Column('int') processingAttempts: number;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) leaseExpiresAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) processedAt: Date | null;

  @Column({ type: 'text', nullable: true }) error: string | null;

  /** A replay asked for and not processed yet. */
  @Column({ type: 'jsonb', nullable: true }) replay: Replay | null;

  /** Copies of this event received (and refused) within its idempotency window. */
  @Column('int') duplicateCount: number;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) lastDuplicateAt: Date | null;
}
