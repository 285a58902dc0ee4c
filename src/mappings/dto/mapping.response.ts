import { ApiProperty } from '@nestjs/swagger';
import { CONDITION_SCHEMA } from '../../common/openapi';
import { Condition } from '../conditions';
import { ActionMapping, ActionName } from '../action-mapping.entity';

export class MappingResponse {
  id: string;
  /** An exact event name, or `*` for every event. */
  event_type: string;
  action: ActionName;
  /** Target field → a path, `{ path, default }`, `{ value }` or `{ template }`. */
  field_map: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: CONDITION_SCHEMA }) conditions: Condition[];
  enabled: boolean;
  position: number;
  created_at: Date;
  updated_at: Date;
}

export const toMappingResponse = (mapping: ActionMapping): MappingResponse => ({
  id: mapping.id,
  event_type: mapping.eventType,
  action: mapping.action,
  field_map: mapping.fieldMap,
  conditions: mapping.conditions,
  enabled: mapping.enabled,
  position: mapping.position,
  created_at: mapping.createdAt,
  updated_at: mapping.updatedAt,
});

export class MappingTestResult {
  /** The stored mapping's id; null for a draft. */
  id: string | null;
  event_type: string;
  action: ActionName;
  /** `matched`, `skipped` or `failed`. */
  result: string;
  /** Why it was skipped. */
  reason?: string;
  /** Why it failed (a template that does not render, say). */
  error?: string;
  /** The inputs the action would get. */
  inputs: Record<string, unknown>;
}

export class MappingTestIdempotency {
  key: string | null;
  note: string | null;
}

export class MappingTestResponse {
  event_type: string | null;
  idempotency: MappingTestIdempotency;
  mappings: MappingTestResult[];
}
