import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQueryDto } from '../../common/pagination';
import { RUN_STATUSES, RunStatus } from '../workflow-run.entity';

export class ListRunsQuery extends ListQueryDto {
  @IsOptional() @IsString() @MaxLength(64) workflow?: string;

  @IsOptional() @IsString() @MaxLength(255) recipient?: string;

  @IsOptional() @IsIn(RUN_STATUSES) status?: RunStatus;
}
