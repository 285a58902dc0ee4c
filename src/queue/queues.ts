/** Queue and job names. Jobs carry ids only: Postgres holds the state. */
export const EVENTS_QUEUE = 'events';
export const PROCESS_EVENT_JOB = 'events.process';

export interface ProcessEventJob {
  eventId: string;
}

export const WORKFLOWS_QUEUE = 'workflows';
export const ADVANCE_RUN_JOB = 'workflows.advance';

export interface AdvanceRunJob {
  runId: string;
}

/** BullMQ refuses integer-looking or ':'-containing custom ids; a prefix rules both out. */
export const eventJobId = (eventId: string) => `event-${eventId}`;
export const runJobId = (runId: string) => `run-${runId}`;
