import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, PageOf } from '../common/openapi';
import { UserResponse } from './dto/user.response';
import { ListQueryDto } from '../common/pagination';
import { PutUserDto } from './dto/put-user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/environments/:env/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @ApiOkResponse({ type: PageOf(UserResponse) })
  @ApiErrors(400, 404, 422)
  @Get()
  list(@Param('env') env: string, @Query() query: ListQueryDto) {
    return this.users.list(env, query);
  }

  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(404)
  @Get(':id')
  get(@Param('env') env: string, @Param('id') id: string) {
    return this.users.get(env, id);
  }

  @ApiOkResponse({ type: UserResponse, description: 'Identified as identify_user does' })
  @ApiErrors(404, 422)
  @Put(':id')
  put(@Param('env') env: string, @Param('id') id: string, @Body() dto: PutUserDto) {
    return this.users.put(env, id, { ...dto, properties: dto.properties ?? {} });
  }

  @ApiNoContentResponse()
  @ApiErrors(404)
  @Delete(':id')
  @HttpCode(204)
  delete(@Param('env') env: string, @Param('id') id: string) {
    return this.users.delete(env, id);
  }
}
