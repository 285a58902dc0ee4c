import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, PageOf } from '../common/openapi';
import { CancelResponse, RunDetailResponse, RunResponse, TriggerResponse } from './dto/run.response';
import { ListRunsQuery } from './dto/list-runs.query';
import { CancelWorkflowDto, TriggerWorkflowDto } from './dto/trigger-workflow.dto';
import { WorkflowRunsService } from './workflow-runs.service';

@ApiTags('workflow runs')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/environments/:env')
export class WorkflowRunsController {
  constructor(private readonly runs: WorkflowRunsService) {}

  @ApiAcceptedResponse({ type: TriggerResponse })
  @ApiErrors(404, 409, 422)
  @Post('workflows/:key/trigger')
  @HttpCode(202)
  trigger(@Param('env') env: string, @Param('key') key: string, @Body() dto: TriggerWorkflowDto) {
    return this.runs.triggerByApi(env, key, { ...dto });
  }

  @ApiOkResponse({ type: CancelResponse })
  @ApiErrors(404, 422)
  @Post('workflows/:key/cancel')
  @HttpCode(200)
  cancel(@Param('env') env: string, @Param('key') key: string, @Body() dto: CancelWorkflowDto) {
    return this.runs.cancelByApi(env, key, { ...dto });
  }

  @ApiOkResponse({ type: PageOf(RunResponse), description: 'Newest first' })
  @ApiErrors(400, 404, 422)
  @Get('workflow-runs')
  list(@Param('env') env: string, @Query() query: ListRunsQuery) {
    return this.runs.list(env, query);
  }

  @ApiOkResponse({ type: RunDetailResponse })
  @ApiErrors(400, 404)
  @Get('workflow-runs/:id')
  get(@Param('env') env: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.runs.get(env, id);
  }
}
