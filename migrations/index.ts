import { CreateCoreSchema1763884800000 } from './1763884800000-CreateCoreSchema';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests load the same set. */
export const MIGRATIONS = [CreateCoreSchema1763884800000];
