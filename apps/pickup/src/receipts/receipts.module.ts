import { Module } from '@nestjs/common';
import { AccountModule } from '../account/account.module';
import { ReceiptPdfRenderer } from './receipt-pdf.renderer';
import { ReceiptsController } from './receipts.controller';

@Module({ imports: [AccountModule], controllers: [ReceiptsController], providers: [ReceiptPdfRenderer] })
export class ReceiptsModule {}
