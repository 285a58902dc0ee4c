import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ListQueryDto } from '../common/pagination';
import { GetWorkflowQuery } from './dto/get-workflow.query';
import { PutWorkflowDto } from './dto/put-workflow.dto';
import { WorkflowsService } from './workflows.service';

@Controller('v1/environments/:env/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Get() list(@Param('env') env: string, @Query() query: ListQueryDto) {
    return this.workflows.list(env, query);
  }

  @Get(':key') get(@Param('env') env: string, @Param('key') key: string, @Query() query: GetWorkflowQuery) {
    return this.workflows.get(env, key, query.version);
  }

  @Put(':key') put(@Param('env') env: string, @Param('key') key: string, @Body() dto: PutWorkflowDto) {
    return this.workflows.put(env, key, dto);
  }

  @Delete(':key') @HttpCode(204) delete(@Param('env') env: string, @Param('key') key: string) {
    return this.workflows.delete(env, key);
  }
}
