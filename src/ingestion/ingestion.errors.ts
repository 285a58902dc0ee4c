import { DomainError, NotFoundError } from '../common/domain-error';

export class IngestionTokenNotFoundError extends NotFoundError {
  constructor() {
    super('INGESTION_URL_NOT_FOUND', 'no enabled source answers at this ingestion URL');
  }
}

export class VerificationFailedError extends DomainError {
  constructor(reason: string) {
    super(401, 'VERIFICATION_FAILED', `request verification failed: ${reason}`);
  }
}

export class InvalidEventBodyError extends DomainError {
  constructor(message: string) {
    super(400, 'INVALID_BODY', message);
  }
}
