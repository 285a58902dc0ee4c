import { rmSync } from 'node:fs';
import globalSetup from '../global-setup';
import { FAULT_REPORT } from './harness';

export default async function faultsSetup(): Promise<void> {
  rmSync(FAULT_REPORT, { force: true });
  await globalSetup();
}
