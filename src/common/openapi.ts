import { applyDecorators, Type } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { OPERATORS } from '../mappings/conditions';
import { HTTP_METHODS, STEP_TYPES } from '../workflows/workflow-steps';

/** The body of every error answer. */
export class ErrorDetail {
  /** A stable name for the error, e.g. `SOURCE_NOT_FOUND`, `VALIDATION_FAILED`. */
  @ApiProperty() code: string;

  @ApiProperty() message: string;

  /** For 422: `[{ field, problems }]`, naming each field at fault. */
  @ApiProperty({ required: false }) details?: unknown;
}

export class ErrorResponse {
  @ApiProperty() error: ErrorDetail;

  /** Also sent as the `x-request-id` header; find it in the logs. */
  @ApiProperty() request_id: string;
}

const ERROR_MEANINGS: Record<number, string> = {
  400: 'The request is malformed (not JSON, a bad cursor, a bad id)',
  401: 'No API key, or not a valid one',
  403: 'A scoped API key used outside its environment, or to write when it may only read',
  404: 'Not found',
  409: 'Conflicts with what exists (a key in use, a disabled workflow)',
  413: 'The body is larger than MAX_BODY_BYTES',
  422: 'Invalid input; `details` names each field and its problems',
  429: 'Too many requests; retry after the `Retry-After` header (seconds)',
  503: 'The database is unreachable; retry',
};

/** Documents the error answers a route may give, all with the ErrorResponse body. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_MEANINGS[status], type: ErrorResponse }),
    ),
  );

/** A page of a list, as every list route answers. */
export function PageOf<T>(item: Type<T>): Type<{ data: T[]; next_cursor: string | null }> {
  class Page {
    @ApiProperty({ type: [item] }) data: T[];

    /** Pass as `?cursor=` for the next page; null on the last. */
    @ApiProperty({ type: String, nullable: true }) next_cursor: string | null;
  }
  Object.defineProperty(Page, 'name', { value: `${item.name}Page` });
  return Page;
}

/** A mapping's (or branch's) condition. */
export const CONDITION_SCHEMA = {
  type: 'object',
  required: ['path', 'operator'],
  properties: {
    path: { type: 'string', example: 'body.properties.plan' },
    operator: { type: 'string', enum: [...OPERATORS] },
    value: { description: 'What the value at path is compared with (not for exists / not_exists)' },
  },
};

/** A workflow step: `type` says which of the others apply. */
export const STEP_SCHEMA = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: STEP_TYPES },
    ref: { type: 'string', description: 'A name for the step in run records' },
    continue_on_failure: { type: 'boolean' },
    duration: {
      description: 'delay: "30s", "5m", "2h", "3d" or seconds',
      oneOf: [{ type: 'string' }, { type: 'integer' }],
    },
    until: { type: 'string', description: 'delay: a path to an ISO time in the run scope' },
    conditions: { type: 'array', items: CONDITION_SCHEMA, description: 'branch' },
    then: { type: 'array', items: { type: 'object' }, description: 'branch: steps when the conditions hold' },
    else: { type: 'array', items: { type: 'object' }, description: 'branch: steps otherwise' },
    method: { type: 'string', enum: [...HTTP_METHODS], description: 'http' },
    url: { type: 'string', description: 'http: a Liquid template' },
    headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'http: shown masked' },
    body: { description: 'http: strings in it are Liquid templates' },
    timeout_seconds: { type: 'integer', minimum: 1, maximum: 60, description: 'http, default 10' },
    retries: { type: 'integer', minimum: 0, maximum: 10, description: 'http, default 3' },
    properties: {
      type: 'object',
      description: 'update_user: merged into the recipient; strings are templates',
    },
  },
};

/** Someone a run is for (or by): an id, or a user object identified before the run starts. */
export const PERSON_SCHEMA = {
  oneOf: [
    { type: 'string' },
    {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        phone_number: { type: 'string' },
        properties: { type: 'object' },
      },
    },
  ],
};
