import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const API_KEY_ACCESS = ['read', 'write'] as const;
export type ApiKeyAccess = (typeof API_KEY_ACCESS)[number];

/** A key for one environment: `read` may only GET; `write` may also change things. */
@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column() name: string;

  /** Part of the key, used to find its row. */
  @Column() prefix: string;

  /** SHA-256 of the whole key, hex. */
  @Column() keyHash: string;

  @Column('uuid') environmentId: string;

  @Column({ type: 'text' }) access: ApiKeyAccess;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true }) revokedAt: Date | null;
}
