import { Module } from '@nestjs/common';
import { EnvironmentsModule } from '../environments/environments.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [EnvironmentsModule],
  controllers: [UsersController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
