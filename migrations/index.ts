import { CreateCoreSchema1763884800000 } from './1763884800000-CreateCoreSchema';
import { AddMappingConditions1763971200000 } from './1763971200000-AddMappingConditions';
import { AddDuplicateCounts1764057600000 } from './1764057600000-AddDuplicateCounts';
import { CreateWorkflowRuns1764144000000 } from './1764144000000-CreateWorkflowRuns';
import { AddActionAttemptsAndReplay1764230400000 } from './1764230400000-AddActionAttemptsAndReplay';
import { CreateWorkflows1764316800000 } from './1764316800000-CreateWorkflows';
import { AddWorkflowRunVersion1764403200000 } from './1764403200000-AddWorkflowRunVersion';
import { AddWorkflowExecution1764489600000 } from './1764489600000-AddWorkflowExecution';
import { AddRetentionIndexes1764576000000 } from './1764576000000-AddRetentionIndexes';
import { CreateApiKeys1764662400000 } from './1764662400000-CreateApiKeys';
import { AddRunClaimsWithoutProgress1764748800000 } from './1764748800000-AddRunClaimsWithoutProgress';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests load the same set. */
export const MIGRATIONS = [
  CreateCoreSchema1763884800000,
  AddMappingConditions1763971200000,
  AddDuplicateCounts1764057600000,
  CreateWorkflowRuns1764144000000,
  AddActionAttemptsAndReplay1764230400000,
  CreateWorkflows1764316800000,
  AddWorkflowRunVersion1764403200000,
  AddWorkflowExecution1764489600000,
  AddRetentionIndexes1764576000000,
  CreateApiKeys1764662400000,
  AddRunClaimsWithoutProgress1764748800000,
];
