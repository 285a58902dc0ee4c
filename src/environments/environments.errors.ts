import { ConflictError, NotFoundError } from '../common/domain-error';

export class EnvironmentNotFoundError extends NotFoundError {
  constructor(slug: string) {
    super('ENVIRONMENT_NOT_FOUND', `environment "${slug}" does not exist`);
  }
}

export class EnvironmentExistsError extends ConflictError {
  constructor(slug: string) {
    super('ENVIRONMENT_EXISTS', `environment "${slug}" already exists`);
  }
}
