import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('environments')
export class Environment {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column() slug: string;

  @Column() name: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
