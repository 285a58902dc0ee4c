import { registerDecorator, ValidationOptions } from 'class-validator';
import { parseEnvelopePath, PathError } from './paths';

/** A dot path rooted at body, headers or query; the error names what is wrong with it. */
export function IsEnvelopePath(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    let problem = '';
    registerDecorator({
      name: 'isEnvelopePath',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate(value: unknown) {
          try {
            parseEnvelopePath(value as string);
            return true;
          } catch (error) {
            problem = error instanceof PathError ? error.message : 'invalid path';
            return false;
          }
        },
        defaultMessage: (args) => `${args?.property} is not a valid path: ${problem}`,
      },
    });
  };
}
