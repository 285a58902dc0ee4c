import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { CreateMappingDto } from './create-mapping.dto';

/** A dry run: how the source's mappings (or one draft mapping) would treat this event. Nothing is written. */
export class TestMappingsDto {
  /** The request body as the sender would post it. */
  @IsObject() payload: Record<string, unknown>;

  /** Request headers (names are matched in lower case). */
  @IsOptional() @IsObject() headers?: Record<string, string>;

  @IsOptional() @IsObject() query?: Record<string, unknown>;

  /** A draft mapping to try instead of the stored ones. */
  @IsOptional() @ValidateNested() @Type(() => CreateMappingDto) mapping?: CreateMappingDto;
}
