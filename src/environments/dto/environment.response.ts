import { Environment } from '../environment.entity';

export class EnvironmentResponse {
  id: string;
  /** Used in paths, e.g. `development`. */
  slug: string;
  name: string;
  created_at: Date;
}

export const toEnvironmentResponse = (environment: Environment): EnvironmentResponse => ({
  id: environment.id,
  slug: environment.slug,
  name: environment.name,
  created_at: environment.createdAt,
});
