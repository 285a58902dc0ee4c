import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ListEventsQuery } from './dto/list-events.query';
import { ReplayEventDto } from './dto/replay-event.dto';
import { EventsService } from './events.service';

@Controller('v1')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get('sources/:source/environments/:env/events') list(
    @Param('source') source: string,
    @Param('env') env: string,
    @Query() query: ListEventsQuery,
  ) {
    return this.events.list(source, env, query);
  }

  @Get('sources/:source/environments/:env/event-types') eventTypes(
    @Param('source') source: string,
    @Param('env') env: string,
  ) {
    return this.events.eventTypes(source, env);
  }

  @Post('events/:id/replay') @HttpCode(202) replay(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReplayEventDto,
  ) {
    return this.events.replay(id, dto);
  }

  @Get('events/:id') get(@Param('id', ParseUUIDPipe) id: string) {
    return this.events.trace(id);
  }
}
