import { Environment } from '../environment.entity';

export const toEnvironmentResponse = (environment: Environment) => ({
  id: environment.id,
  slug: environment.slug,
  name: environment.name,
  created_at: environment.createdAt,
});
