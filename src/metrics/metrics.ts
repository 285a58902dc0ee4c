import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, register } from 'prom-client';
import { Dispatcher } from '../queue/dispatcher';
import { QueueName } from '../queue/queues';

/** prom-client keeps one registry per process; metrics are created once even if Nest builds this twice. */
function metric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** Everything Signalbox counts, exposed at /metrics (with the process's default metrics). */
@Injectable()
export class Metrics {
  readonly eventsReceived = metric(
    'signalbox_events_received_total',
    () =>
      new Counter({
        name: 'signalbox_events_received_total',
        help: 'Events received on ingestion URLs, by outcome: accepted, duplicate, or rejected with a reason',
        labelNames: ['source', 'environment', 'outcome', 'reason'],
      }),
  );

  readonly processingSeconds = metric(
    'signalbox_event_processing_seconds',
    () =>
      new Histogram({
        name: 'signalbox_event_processing_seconds',
        help: 'From receipt of an event to the end of its processing, by final status',
        labelNames: ['status'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      }),
  );

  readonly actionExecutions = metric(
    'signalbox_action_executions_total',
    () =>
      new Counter({
        name: 'signalbox_action_executions_total',
        help: 'Action attempts, by action and status',
        labelNames: ['action', 'status'],
      }),
  );

  readonly workflowRuns = metric(
    'signalbox_workflow_runs_total',
    () =>
      new Counter({
        name: 'signalbox_workflow_runs_total',
        help: 'Workflow runs started (queued) and finished (completed, failed, cancelled)',
        labelNames: ['status'],
      }),
  );

  readonly redispatched = metric(
    'signalbox_reconciler_redispatched_total',
    () =>
      new Counter({
        name: 'signalbox_reconciler_redispatched_total',
        help: 'Events and workflow runs the reconciler found due without a job and queued again',
        labelNames: ['queue'],
      }),
  );

  readonly purged = metric(
    'signalbox_retention_deleted_total',
    () =>
      new Counter({
        name: 'signalbox_retention_deleted_total',
        help: 'Rows deleted by retention: idempotency keys, events, workflow runs',
        labelNames: ['kind'],
      }),
  );

  readonly httpSeconds = metric(
    'signalbox_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'signalbox_http_request_duration_seconds',
        help: 'HTTP requests served, by method, route and status',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      }),
  );

  constructor(dispatcher: Dispatcher) {
    metric(
      'signalbox_queue_jobs',
      () =>
        new Gauge({
          name: 'signalbox_queue_jobs',
          help: 'Jobs in the queues, by queue and state',
          labelNames: ['queue', 'state'],
          async collect() {
            this.reset();
            const counts = await dispatcher.counts().catch(() => null);
            for (const [queue, states] of Object.entries(counts ?? {}) as [
              QueueName,
              Record<string, number>,
            ][]) {
              for (const [state, count] of Object.entries(states)) this.set({ queue, state }, count);
            }
          },
        }),
    );
  }
}
