/** Queue and job names. Jobs carry ids only: Postgres holds the state. */
export const EVENTS_QUEUE = 'events';
export const WORKFLOWS_QUEUE = 'workflows';
/** Where BullMQ's dashboard is served (with Redis only). */
export const QUEUE_DASHBOARD = '/admin/queues';

export type QueueName = typeof EVENTS_QUEUE | typeof WORKFLOWS_QUEUE;

export const JOB_NAMES: Record<QueueName, string> = {
  events: 'events.process',
  workflows: 'workflows.advance',
};

/** What a job carries: the id of the event to process, or of the workflow run to advance. */
export interface JobData {
  id: string;
}

/** BullMQ refuses integer-looking or ':'-containing custom ids; a prefix rules both out. */
export const eventJobId = (eventId: string) => `event-${eventId}`;
export const runJobId = (runId: string) => `run-${runId}`;
