import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQueryDto } from '../../common/pagination';
import { EVENT_STATUSES, EventStatus } from '../source-event.entity';

export class ListEventsQuery extends ListQueryDto {
  @IsOptional() @IsIn(EVENT_STATUSES) status?: EventStatus;

  @IsOptional() @IsString() @MaxLength(255) event_type?: string;

  /** Received at or after this time (ISO 8601). */
  @IsOptional() @IsISO8601({ strict: true }) since?: string;

  /** Received before this time (ISO 8601). */
  @IsOptional() @IsISO8601({ strict: true }) until?: string;
}
