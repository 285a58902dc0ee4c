import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Condition } from './conditions';
import type { FieldMap } from './field-map';

export const ACTIONS = ['identify_user', 'set_properties', 'trigger_workflow', 'cancel_workflow'] as const;
export type ActionName = (typeof ACTIONS)[number];

/** Within a source environment: events of one type (or `*`) → one action, with its inputs mapped from the event. */
@Entity('action_mappings')
export class ActionMapping {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column('uuid') sourceEnvironmentId: string;

  @Column() eventType: string;

  @Column({ type: 'text' }) action: ActionName;

  @Column('jsonb') fieldMap: FieldMap;

  /** All must hold for the action to run. */
  @Column('jsonb') conditions: Condition[];

  @Column() enabled: boolean;

  @Column('int') position: number;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
