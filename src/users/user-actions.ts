import { Injectable } from '@nestjs/common';
import { ActionContext, ActionHandler } from '../actions/actions';
import { toProfile, toPropertyChange } from './user-profile';
import { UsersService } from './users.service';

/** identify_user: id (required), email, name, phone_number, properties; other mapped fields become properties. */
@Injectable()
export class IdentifyUserAction implements ActionHandler {
  readonly action = 'identify_user' as const;

  constructor(private readonly users: UsersService) {}

  apply({ manager, environmentId }: ActionContext, inputs: Record<string, unknown>) {
    return this.users.identify(manager, environmentId, toProfile(inputs));
  }
}

/** set_properties: id and properties (required), unset (names to remove), only_if_missing (PostHog's $set_once). */
@Injectable()
export class SetPropertiesAction implements ActionHandler {
  readonly action = 'set_properties' as const;

  constructor(private readonly users: UsersService) {}

  apply({ manager, environmentId }: ActionContext, inputs: Record<string, unknown>) {
    return this.users.setProperties(manager, environmentId, toPropertyChange(inputs));
  }
}
