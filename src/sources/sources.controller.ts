import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ListQueryDto } from '../common/pagination';
import { CreateSourceDto } from './dto/create-source.dto';
import { UpdateSourceEnvironmentDto } from './dto/update-source-environment.dto';
import { UpdateSourceDto } from './dto/update-source.dto';
import { SourcesService } from './sources.service';

@Controller('v1/sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Get() list(@Query() query: ListQueryDto) {
    return this.sources.list(query);
  }

  @Post() create(@Body() dto: CreateSourceDto) {
    return this.sources.create(dto);
  }

  @Get(':source') get(@Param('source') key: string) {
    return this.sources.get(key);
  }

  @Patch(':source') update(@Param('source') key: string, @Body() dto: UpdateSourceDto) {
    return this.sources.update(key, dto);
  }

  @Delete(':source') @HttpCode(204) delete(@Param('source') key: string) {
    return this.sources.delete(key);
  }

  @Get(':source/environments/:env') getSettings(@Param('source') key: string, @Param('env') env: string) {
    return this.sources.getSettings(key, env);
  }

  @Patch(':source/environments/:env') updateSettings(
    @Param('source') key: string,
    @Param('env') env: string,
    @Body() dto: UpdateSourceEnvironmentDto,
  ) {
    return this.sources.updateSettings(key, env, dto);
  }

  @Post(':source/environments/:env/rotate-token') @HttpCode(200) rotateToken(
    @Param('source') key: string,
    @Param('env') env: string,
  ) {
    return this.sources.rotateToken(key, env);
  }
}
