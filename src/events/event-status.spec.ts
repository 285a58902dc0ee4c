import { overallStatus } from './event-status';

describe('overallStatus', () => {
  it.each([
    [[], 'no_mapping'],
    [['succeeded'], 'processed'],
    [['skipped'], 'processed'],
    [['succeeded', 'skipped'], 'processed'],
    [['failed'], 'failed'],
    [['failed', 'failed'], 'failed'],
    [['failed', 'succeeded'], 'partially_failed'],
    [['skipped', 'failed'], 'partially_failed'],
  ] as const)('%j → %s', (statuses, expected) => {
    expect(overallStatus([...statuses])).toBe(expected);
  });
});
