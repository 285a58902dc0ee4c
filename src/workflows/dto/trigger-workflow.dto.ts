import { Allow, IsDefined, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { PERSON_SCHEMA } from '../../common/openapi';

/** Same inputs as the trigger_workflow action; recipients and actor are checked by the same rules. */
export class TriggerWorkflowDto {
  /** One id, a list of ids, or a list of user objects with an id (identified before the runs start). */
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: PERSON_SCHEMA }] })
  @IsDefined()
  @Allow()
  recipients: unknown;

  /** An id or a user object. */
  @ApiProperty({ required: false, ...PERSON_SCHEMA })
  @IsOptional()
  @Allow()
  actor?: unknown;

  @IsOptional() @IsObject() data?: Record<string, unknown>;

  @IsOptional() @IsString() @MaxLength(255) tenant?: string;

  @IsOptional() @IsString() @MaxLength(255) cancellation_key?: string;
}

export class CancelWorkflowDto {
  @IsString() @MaxLength(255) cancellation_key: string;

  /** Only these recipients' runs; all of them when absent. */
  @ApiProperty({ required: false, type: 'array', items: { type: 'string' } })
  @IsOptional()
  @Allow()
  recipients?: unknown;
}
