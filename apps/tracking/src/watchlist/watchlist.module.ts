import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ParcelsModule } from '../parcels/parcels.module';
import { WatchlistController } from './watchlist.controller';
import { WATCHLIST_MODEL, WatchlistSchema } from './watchlist.schema';
import { WatchlistRepository } from './watchlist.repository';
import { WatchlistService } from './watchlist.service';

@Module({
  imports: [ParcelsModule, MongooseModule.forFeature([{ name: WATCHLIST_MODEL, schema: WatchlistSchema }])],
  controllers: [WatchlistController],
  providers: [WatchlistRepository, WatchlistService],
  exports: [WatchlistService],
})
export class WatchlistModule {}
