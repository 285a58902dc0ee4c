import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** Fields given replace the stored ones; properties merge into the stored ones key by key. */
export class PutUserDto {
  @IsOptional() @IsString() @MaxLength(1000) email?: string;

  @IsOptional() @IsString() @MaxLength(1000) name?: string;

  @IsOptional() @IsString() @MaxLength(1000) phone_number?: string;

  @IsOptional() @IsObject() properties?: Record<string, unknown>;
}
