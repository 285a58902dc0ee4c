import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ListRunsQuery } from './dto/list-runs.query';
import { CancelWorkflowDto, TriggerWorkflowDto } from './dto/trigger-workflow.dto';
import { WorkflowRunsService } from './workflow-runs.service';

@Controller('v1/environments/:env')
export class WorkflowRunsController {
  constructor(private readonly runs: WorkflowRunsService) {}

  @Post('workflows/:key/trigger') @HttpCode(202) trigger(
    @Param('env') env: string,
    @Param('key') key: string,
    @Body() dto: TriggerWorkflowDto,
  ) {
    return this.runs.triggerByApi(env, key, { ...dto });
  }

  @Post('workflows/:key/cancel') @HttpCode(200) cancel(
    @Param('env') env: string,
    @Param('key') key: string,
    @Body() dto: CancelWorkflowDto,
  ) {
    return this.runs.cancelByApi(env, key, { ...dto });
  }

  @Get('workflow-runs') list(@Param('env') env: string, @Query() query: ListRunsQuery) {
    return this.runs.list(env, query);
  }

  @Get('workflow-runs/:id') get(@Param('env') env: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.runs.get(env, id);
  }
}
