import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { API_KEY_ACCESS, ApiKeyAccess } from '../api-key.entity';

export class CreateApiKeyDto {
  /** What the key is for, e.g. "CI deploys". */
  @IsString() @MinLength(1) @MaxLength(200) name: string;

  /** The environment's slug: the key works there only. */
  @IsString() @MinLength(1) @MaxLength(64) environment: string;

  /** `read`: GET routes only. `write`: also changes. */
  @IsIn(API_KEY_ACCESS) access: ApiKeyAccess;
}
