import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SOURCE_TYPES = ['posthog', 'posthog_webhook', 'custom'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

@Entity('sources')
export class Source {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column() key: string;

  @Column() name: string;

  @Column({ type: 'text' }) type: SourceType;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
