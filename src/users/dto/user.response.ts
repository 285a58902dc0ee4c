import { User } from '../user.entity';

export const toUserResponse = (user: User) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  phone_number: user.phoneNumber,
  properties: user.properties,
  created_at: user.createdAt,
  updated_at: user.updatedAt,
});
