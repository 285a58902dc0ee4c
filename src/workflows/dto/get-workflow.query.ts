import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

export class GetWorkflowQuery {
  /** An earlier version; the current one when absent. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}
