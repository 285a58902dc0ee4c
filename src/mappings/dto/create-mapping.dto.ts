import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { CONDITION_SCHEMA } from '../../common/openapi';
import { ACTIONS, ActionName } from '../action-mapping.entity';
import type { Condition } from '../conditions';
import type { FieldMap } from '../field-map';

export class CreateMappingDto {
  /** An exact event name, or "*" for every event. */
  @IsString() @MinLength(1) @MaxLength(255) event_type: string;

  @IsIn(ACTIONS) action: ActionName;

  /** Target field → a path into { body, headers, query }, or { path, default }, { value } or { template }. */
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { id: 'body.userId', plan: { path: 'body.properties.plan', default: 'free' } },
  })
  @IsObject()
  field_map: FieldMap;

  /** All must hold for the action to run: [{ path, operator, value? }]. */
  @ApiProperty({ required: false, type: 'array', items: CONDITION_SCHEMA })
  @IsOptional()
  @IsArray()
  conditions?: Condition[];

  @IsOptional() @IsBoolean() enabled?: boolean;

  /** Order among mappings of the same action; defaults to after the last one. */
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
}
