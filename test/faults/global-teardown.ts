import { existsSync, readFileSync } from 'node:fs';
import globalTeardown from '../global-teardown';
import { FAULT_REPORT } from './harness';

/** Drops the run's databases and prints each fault's figures, one block per fault. */
export default async function faultsTeardown(): Promise<void> {
  await globalTeardown();
  if (!existsSync(FAULT_REPORT)) return;
  const lines = readFileSync(FAULT_REPORT, 'utf8').trim().split('\n').filter(Boolean);
  const blocks = lines.map((line) => {
    const { fault, ...figures } = JSON.parse(line) as Record<string, unknown>;
    const rows = Object.entries(figures).map(([name, value]) => `  ${name}: ${JSON.stringify(value)}`);
    return [`${String(fault)}`, ...rows].join('\n');
  });
  process.stdout.write(`\nFault report (${FAULT_REPORT})\n${blocks.join('\n')}\n`);
}
