import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ListQueryDto } from '../common/pagination';
import { PutUserDto } from './dto/put-user.dto';
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

  @Put(':id') put(@Param('env') env: string, @Param('id') id: string, @Body() dto: PutUserDto) {
    return this.users.put(env, id, { ...dto, properties: dto.properties ?? {} });
  }

  @Delete(':id') @HttpCode(204) delete(@Param('env') env: string, @Param('id') id: string) {
    return this.users.delete(env, id);
  }
}
