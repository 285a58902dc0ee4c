import {
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
import { ACTIONS, ActionName, FieldMap } from '../action-mapping.entity';

export class CreateMappingDto {
  /** An exact event name, or "*" for every event. */
  @IsString() @MinLength(1) @MaxLength(255) event_type: string;

  @IsIn(ACTIONS) action: ActionName;

  /** Target field → dot path into { body, headers, query }. */
  @IsObject() field_map: FieldMap;

  @IsOptional() @IsBoolean() enabled?: boolean;

  /** Order among mappings of the same action; defaults to after the last one. */
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
}
