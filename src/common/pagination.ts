import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from './domain-error';

export class ListQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit = 50;

  @IsOptional() @IsString() @MaxLength(512) cursor?: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Keyset position: the sort values of the last row handed out, e.g. [created_at, id]. */
export type CursorValues = [string, string];

export function encodeCursor(values: CursorValues): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string): CursorValues {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === 2 && values.every((v) => typeof v === 'string')) {
      return values as CursorValues;
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError(400, 'INVALID_CURSOR', 'cursor is not one this API handed out');
}

/**
 * Builds a page from rows fetched with `limit + 1`: the extra row only says there is more.
 * `position` gives the keyset values of a row.
 */
export function toPage<Row, Out>(
  rows: Row[],
  limit: number,
  position: (row: Row) => CursorValues,
  present: (row: Row) => Out,
): Page<Out> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return {
    data: shown.map(present),
    next_cursor: more ? encodeCursor(position(shown[shown.length - 1])) : null,
  };
}
