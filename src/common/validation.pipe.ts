import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from './domain-error';

/** Flattens nested validation errors to `{ field: "idempotency.key_path", problems: [...] }`. */
function flatten(errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return own.concat(flatten(error.children ?? [], `${field}.`));
  });
}

/** Unknown fields are refused, types are converted, and every problem is named by field (422). */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => {
    const details = flatten(errors);
    return new ValidationFailedError(
      details.map((d) => `${d.field}: ${d.problems.join(', ')}`).join('; '),
      details,
    );
  },
});
