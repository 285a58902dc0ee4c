import { Module } from '@nestjs/common';
import { EnvironmentsModule } from '../environments/environments.module';
import { UsersController } from './users.controller';
import { IdentifyUserAction, SetPropertiesAction } from './user-actions';
import { UsersService } from './users.service';

@Module({
  imports: [EnvironmentsModule],
  controllers: [UsersController],
  providers: [UsersService, IdentifyUserAction, SetPropertiesAction],
  exports: [UsersService, IdentifyUserAction, SetPropertiesAction],
})
export class UsersModule {}
