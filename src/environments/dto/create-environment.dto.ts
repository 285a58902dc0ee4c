import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SLUG_PATTERN } from '../../common/slug';

export class CreateEnvironmentDto {
  @Matches(SLUG_PATTERN, {
    message:
      'slug must be lowercase letters, digits, "-" or "_", starting with a letter or digit (at most 64)',
  })
  slug: string;

  @IsString() @MinLength(1) @MaxLength(200) name: string;
}
