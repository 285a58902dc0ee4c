import { Controller, Get, Param, Query } from '@nestjs/common';
import { ListQueryDto } from '../common/pagination';
import { UsersService } from './users.service';

@Controller('v1/environments/:env/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get() list(@Param('env') env: string, @Query() query: ListQueryDto) {
    return this.users.list(env, query);
  }

  @Get(':id') get(@Param('env') env: string, @Param('id') id: string) {
    return this.users.get(env, id);
  }
}
