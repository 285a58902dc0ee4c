import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SLUG_PATTERN } from '../../common/slug';
import { SOURCE_TYPES, SourceType } from '../source.entity';

export class CreateSourceDto {
  @Matches(SLUG_PATTERN, {
    message:
      'key must be lowercase letters, digits, "-" or "_", starting with a letter or digit (at most 64)',
  })
  key: string;

  @IsString() @MinLength(1) @MaxLength(200) name: string;

  @IsIn(SOURCE_TYPES) type: SourceType;

  /** Also create the usual mappings: $identify and $set → identify_user (posthog and posthog_webhook only). */
  @IsOptional() @IsBoolean() default_mappings?: boolean;
}
