import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/openapi';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyResponse, CreatedApiKeyResponse } from './dto/api-key.response';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

class ApiKeyList {
  data: ApiKeyResponse[];
}

/** Keys scoped to one environment; managed with the admin key only. */
@ApiTags('api keys')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @ApiCreatedResponse({ type: CreatedApiKeyResponse, description: 'The key is in the answer, this once' })
  @ApiErrors(404, 422)
  @Post()
  create(@Body() dto: CreateApiKeyDto) {
    return this.keys.create(dto);
  }

  @ApiOkResponse({ type: ApiKeyList })
  @Get()
  list() {
    return this.keys.list();
  }

  @ApiNoContentResponse({ description: 'Revoked: it stops working at once' })
  @ApiErrors(400, 404)
  @Delete(':id')
  @HttpCode(204)
  revoke(@Param('id', ParseUUIDPipe) id: string) {
    return this.keys.revoke(id);
  }
}
