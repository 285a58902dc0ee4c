import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsEnvelopePath } from '../../common/validators';
import { VERIFICATION_TYPES, VerificationType } from '../source-environment.entity';

export class IdempotencyDto {
  @IsOptional() @IsBoolean() enabled?: boolean;

  /** null clears it (then idempotency must be disabled). */
  @IsOptional() @IsEnvelopePath() key_path?: string | null;

  /** How long a key is remembered: one second to thirty days. */
  @IsOptional() @IsInt() @Min(1) @Max(30 * 86400) window_seconds?: number;
}

export class VerificationDto {
  @IsIn(VERIFICATION_TYPES) type: VerificationType;

  /** The header that carries the secret (`header`) or the signature (`hmac_sha256`). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, { message: 'header must be a valid header name' })
  header?: string;

  /** Write-only: kept when omitted and the type is unchanged. */
  @IsOptional() @IsString() @MinLength(8) @MaxLength(500) secret?: string;
}

export class UpdateSourceEnvironmentDto {
  @IsOptional() @IsBoolean() enabled?: boolean;

  @IsOptional() @IsEnvelopePath() event_type_path?: string;

  /** null turns occurred_at off. */
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsEnvelopePath() timestamp_path?: string | null;

  @IsOptional() @ValidateNested() @Type(() => IdempotencyDto) idempotency?: IdempotencyDto;

  @IsOptional() @ValidateNested() @Type(() => VerificationDto) verification?: VerificationDto;
}
