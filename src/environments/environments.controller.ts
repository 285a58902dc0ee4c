import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ListQueryDto } from '../common/pagination';
import { CreateEnvironmentDto } from './dto/create-environment.dto';
import { EnvironmentsService } from './environments.service';

@Controller('v1/environments')
export class EnvironmentsController {
  constructor(private readonly environments: EnvironmentsService) {}

  @Get() list(@Query() query: ListQueryDto) {
    return this.environments.list(query);
  }

  @Get(':env') get(@Param('env') slug: string) {
    return this.environments.get(slug);
  }

  @Post() create(@Body() dto: CreateEnvironmentDto) {
    return this.environments.create(dto);
  }
}
