import { EntityManager } from 'typeorm';

// Only runs that have not finished can be cancelled; a step they were waiting on is cancelled with them.
// $3 null: every unfinished run of the workflow (it is being deleted).
const CANCEL_SQL = `
WITH cancelled AS (
  UPDATE workflow_runs
  SET status = 'cancelled', cancelled_at = now(), updated_at = now(), next_step_at = NULL,
      lease_token = NULL, lease_expires_at = NULL
  WHERE environment_id = $1 AND workflow_key = $2 AND ($3::text IS NULL OR cancellation_key = $3)
    AND status IN ('queued', 'running', 'waiting') AND ($4::text[] IS NULL OR recipient_id = ANY($4))
  RETURNING id
), steps AS (
  UPDATE workflow_step_executions SET status = 'cancelled', finished_at = now()
  WHERE run_id IN (SELECT id FROM cancelled) AND status IN ('running', 'waiting', 'retrying')
)
SELECT id FROM cancelled`;

/**
 * Cancels a workflow's unfinished runs: those with the cancellation key (only some recipients', if named), or
 * all of them when the key is null. Returns their ids.
 */
export async function cancelRuns(
  manager: EntityManager,
  environmentId: string,
  workflowKey: string,
  cancellationKey: string | null,
  recipientIds: string[] | null,
): Promise<string[]> {
  const rows = await manager.query<{ id: string }[]>(CANCEL_SQL, [
    environmentId,
    workflowKey,
    cancellationKey,
    recipientIds,
  ]);
  return rows.map((row) => row.id);
}
