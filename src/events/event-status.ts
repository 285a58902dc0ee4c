import { ExecutionStatus } from './action-execution.entity';
import { EventStatus } from './source-event.entity';

/** no_mapping when nothing matched; failed when every action that ran failed; partially_failed when some did. */
export function overallStatus(statuses: ExecutionStatus[]): EventStatus {
  if (statuses.length === 0) return 'no_mapping';
  const failed = statuses.filter((s) => s === 'failed').length;
  if (failed === 0) return 'processed';
  return failed === statuses.length ? 'failed' : 'partially_failed';
}
