import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('users')
export class User {
  @PrimaryColumn('uuid') environmentId: string;

  @PrimaryColumn('text') id: string;

  @Column({ type: 'text', nullable: true }) email: string | null;

  @Column({ type: 'text', nullable: true }) name: string | null;

  @Column({ type: 'text', nullable: true }) phoneNumber: string | null;

  @Column('jsonb') properties: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
