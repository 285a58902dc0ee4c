import { IsArray, IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { STEP_SCHEMA } from '../../common/openapi';
import type { Step } from '../workflow-steps';

export class PutWorkflowDto {
  @IsString() @MinLength(1) @MaxLength(200) name: string;

  /** delay, branch, http and update_user steps, run in order for each recipient. */
  @ApiProperty({ type: 'array', items: STEP_SCHEMA })
  @IsArray()
  steps: Step[];

  /** A disabled workflow starts no new runs. */
  @IsOptional() @IsBoolean() enabled?: boolean;
}
