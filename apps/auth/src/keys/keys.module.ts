import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../users/accounts.module';
import { JwksController } from './jwks.controller';
import { KeysService } from './keys.service';
import { SigningKeySchema, SIGNING_KEY_MODEL } from './signing-key.schema';
import { SigningKeysRepository } from './signing-keys.repository';

/** The token-signing keys, their rotation and the JWKS the other services verify with. */
@Module({
  imports: [AccountsModule, MongooseModule.forFeature([{ name: SIGNING_KEY_MODEL, schema: SigningKeySchema }])],
  controllers: [JwksController],
  providers: [SigningKeysRepository, KeysService],
  exports: [KeysService],
})
export class KeysModule {}
