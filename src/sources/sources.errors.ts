import { ConflictError, NotFoundError } from '../common/domain-error';

export class SourceNotFoundError extends NotFoundError {
  constructor(key: string) {
    super('SOURCE_NOT_FOUND', `source "${key}" does not exist`);
  }
}

export class SourceKeyTakenError extends ConflictError {
  constructor(key: string) {
    super('SOURCE_KEY_TAKEN', `a source with key "${key}" already exists`);
  }
}
