/** An error a client can act on: it carries the HTTP status and a stable machine-readable code. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super(404, code, message);
  }
}

export class ValidationFailedError extends DomainError {
  constructor(message: string, details?: unknown) {
    super(422, 'VALIDATION_FAILED', message, details);
  }

  /** From problems keyed by field (`{ "field_map.id": "…" }`), in the same shape the validation pipe gives. */
  static fromProblems(problems: Record<string, string>): ValidationFailedError {
    const entries = Object.entries(problems);
    return new ValidationFailedError(
      entries.map(([field, problem]) => `${field}: ${problem}`).join('; '),
      entries.map(([field, problem]) => ({ field, problems: [problem] })),
    );
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}
