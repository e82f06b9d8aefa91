import { KeyedLock } from '@app/persistence';
import { Global, Module } from '@nestjs/common';

/** The per-parcel lock that every writer of a parcel in this process shares (the shell brings config, clock, ids, Redis). */
@Global()
@Module({ providers: [KeyedLock], exports: [KeyedLock] })
export class SharedModule {}
