import { ActionMapping } from '../action-mapping.entity';

export const toMappingResponse = (mapping: ActionMapping) => ({
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
