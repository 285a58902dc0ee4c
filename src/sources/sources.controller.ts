import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, PageOf } from '../common/openapi';
import { SourceEnvironmentResponse, SourceResponse } from './dto/source.response';
import { ListQueryDto } from '../common/pagination';
import { CreateSourceDto } from './dto/create-source.dto';
import { UpdateSourceEnvironmentDto } from './dto/update-source-environment.dto';
import { UpdateSourceDto } from './dto/update-source.dto';
import { SourcesService } from './sources.service';

@ApiTags('sources')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @ApiOkResponse({ type: PageOf(SourceResponse) })
  @ApiErrors(400, 422)
  @Get()
  list(@Query() query: ListQueryDto) {
    return this.sources.list(query);
  }

  @ApiCreatedResponse({ type: SourceResponse })
  @ApiErrors(409, 422)
  @Post()
  create(@Body() dto: CreateSourceDto) {
    return this.sources.create(dto);
  }

  @ApiOkResponse({ type: SourceResponse })
  @ApiErrors(404)
  @Get(':source')
  get(@Param('source') key: string) {
    return this.sources.get(key);
  }

  @ApiOkResponse({ type: SourceResponse })
  @ApiErrors(404, 422)
  @Patch(':source')
  update(@Param('source') key: string, @Body() dto: UpdateSourceDto) {
    return this.sources.update(key, dto);
  }

  @ApiNoContentResponse({ description: 'With its settings, mappings and events' })
  @ApiErrors(404)
  @Delete(':source')
  @HttpCode(204)
  delete(@Param('source') key: string) {
    return this.sources.delete(key);
  }

  @ApiOkResponse({ type: SourceEnvironmentResponse })
  @ApiErrors(404)
  @Get(':source/environments/:env')
  getSettings(@Param('source') key: string, @Param('env') env: string) {
    return this.sources.getSettings(key, env);
  }

  @ApiOkResponse({ type: SourceEnvironmentResponse })
  @ApiErrors(404, 422)
  @Patch(':source/environments/:env')
  updateSettings(
    @Param('source') key: string,
    @Param('env') env: string,
    @Body() dto: UpdateSourceEnvironmentDto,
  ) {
    return this.sources.updateSettings(key, env, dto);
  }

  @ApiOkResponse({
    type: SourceEnvironmentResponse,
    description: 'A new ingestion URL; the old one stops working',
  })
  @ApiErrors(404)
  @Post(':source/environments/:env/rotate-token')
  @HttpCode(200)
  rotateToken(@Param('source') key: string, @Param('env') env: string) {
    return this.sources.rotateToken(key, env);
  }
}
