import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsUUID } from 'class-validator';

export class ReplayEventDto {
  /** Only these mappings; all the event's mappings when absent. */
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsUUID('all', { each: true }) mapping_ids?: string[];

  /** Re-apply actions that already succeeded for this event (otherwise they are skipped). */
  @IsOptional() @IsBoolean() force?: boolean;
}
