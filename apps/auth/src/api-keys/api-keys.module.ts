import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { KeysModule } from '../keys/keys.module';
import { AccountsModule } from '../users/accounts.module';
import { ApiKeySchema, API_KEY_MODEL } from './api-key.schema';
import { ApiKeysController, InternalApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

/** API keys of machine clients, exchanged for short-lived access tokens. */
@Module({
  imports: [AccountsModule, KeysModule, MongooseModule.forFeature([{ name: API_KEY_MODEL, schema: ApiKeySchema }])],
  controllers: [ApiKeysController, InternalApiKeysController],
  providers: [ApiKeysRepository, ApiKeysService],
})
export class ApiKeysModule {}
