import { Module } from '@nestjs/common';
import { StampsController } from './stamps.controller';

@Module({ controllers: [StampsController] })
export class StampsModule {}
