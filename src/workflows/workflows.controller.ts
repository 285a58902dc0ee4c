import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, PageOf } from '../common/openapi';
import { WorkflowResponse, WorkflowSummary } from './dto/workflow.response';
import { ListQueryDto } from '../common/pagination';
import { GetWorkflowQuery } from './dto/get-workflow.query';
import { PutWorkflowDto } from './dto/put-workflow.dto';
import { WorkflowsService } from './workflows.service';

@ApiTags('workflows')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/environments/:env/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @ApiOkResponse({ type: PageOf(WorkflowSummary) })
  @ApiErrors(400, 404, 422)
  @Get()
  list(@Param('env') env: string, @Query() query: ListQueryDto) {
    return this.workflows.list(env, query);
  }

  @ApiOkResponse({ type: WorkflowResponse })
  @ApiErrors(404, 422)
  @Get(':key')
  get(@Param('env') env: string, @Param('key') key: string, @Query() query: GetWorkflowQuery) {
    return this.workflows.get(env, key, query.version);
  }

  @ApiOkResponse({ type: WorkflowResponse, description: 'Saved as a new version' })
  @ApiErrors(404, 422)
  @Put(':key')
  put(@Param('env') env: string, @Param('key') key: string, @Body() dto: PutWorkflowDto) {
    return this.workflows.put(env, key, dto);
  }

  @ApiNoContentResponse({ description: 'Its unfinished runs are cancelled' })
  @ApiErrors(404)
  @Delete(':key')
  @HttpCode(204)
  delete(@Param('env') env: string, @Param('key') key: string) {
    return this.workflows.delete(env, key);
  }
}
