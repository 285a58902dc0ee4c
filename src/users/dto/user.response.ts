import { User } from '../user.entity';

export class UserResponse {
  id: string;
  email: string | null;
  name: string | null;
  phone_number: string | null;
  /** Any properties, merged by identify_user, set_properties, PUT and workflow update_user steps. */
  properties: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export const toUserResponse = (user: User): UserResponse => ({
  id: user.id,
  email: user.email,
  name: user.name,
  phone_number: user.phoneNumber,
  properties: user.properties,
  created_at: user.createdAt,
  updated_at: user.updatedAt,
});
