import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'signalbox:public';

/** Marks a route that needs no management key (ingestion, health). Everything else does. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
