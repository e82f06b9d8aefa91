import {
  Get,
  Headers,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiResponse,
  ApiOkResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  type AuthUser,
  CurrentUser,
  OrgActingController,
  OrgPermissionRequired,
  ownerScope,
  actingMember,
} from '@app/auth';
import {
  BATCH_CSV_COLUMNS,
  BATCH_UPLOAD_PATH,
  MAX_BATCH_CSV_BYTES,
  MAX_BATCH_ROW_CHARS,
  MAX_BATCH_ROWS,
  OPTIONAL_BATCH_CSV_COLUMNS,
  OrgPermissions,
} from '@app/contracts';
import { negotiateLanguage } from '@app/contracts/i18n/languages';
import { ApiTooManyRequests, PageQueryDto, type RawBodyRoute } from '@app/platform';
import { Idempotent, type IdempotencyScope, IdempotencyScopeParam } from '../payments/idempotency.interceptor';
import { batchTemplateCsv } from './batch-csv';
import { BatchesService, toBatchView } from './batches.service';
import { CreateBatchQueryDto } from './dto/create-batch-query.dto';
import { BatchView, BatchViewPage } from './dto/batch-view.dto';

/** The upload route reads its body as bytes (main.ts and the test app pass this to the bootstrap). */
export const BATCH_UPLOAD_ROUTE: RawBodyRoute = {
  method: 'POST',
  path: BATCH_UPLOAD_PATH,
  limit: MAX_BATCH_CSV_BYTES,
};

const BATCH_ID_PARAM = {
  name: 'id',
  description: 'the batchId (a UUID; anything else is a 400)',
  schema: { type: 'string' as const, format: 'uuid' },
};

/** Stored texts (rows' reasons, the failure, the labels) are given in the language the caller asks for. */
const ACCEPT_LANGUAGE = {
  name: 'Accept-Language',
  required: false,
  description:
    "the language of the rows' `reason`, the failure's `message` and the labels' texts for the customer: en, es or zh-Hans (English otherwise); codes, columns and values stay as they are",
} as const;

const COLUMNS_DOC =
  `Columns (header row, any order, names case-insensitive): ${BATCH_CSV_COLUMNS.join(', ')}. ` +
  `May be empty: ${OPTIONAL_BATCH_CSV_COLUMNS.join(', ')}. Each row obeys the rules of POST /labels ` +
  '(state 2 letters, ZIP 5 digits or ZIP+4, weight_oz a number, all three dimensions or none, service one of ' +
  'priority_express, priority, ground_advantage).';

// Teams (issue 18): acting for an organisation reads and writes its labels, with the role's permission.
@OrgActingController('labels/batches', 'label batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Post()
  @OrgPermissionRequired(OrgPermissions.Ship)
  @Idempotent(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Upload a CSV of labels to make in one batch',
    description:
      `The body is the CSV itself (Content-Type: text/csv, UTF-8, optional BOM), at most ${MAX_BATCH_CSV_BYTES} bytes, ` +
      `${MAX_BATCH_ROWS} rows and ${MAX_BATCH_ROW_CHARS} characters per row. ${COLUMNS_DOC} ` +
      'The file is checked at once (encoding, header, size: 400/413/415 with the reason); every row is then ' +
      'checked by the batch job, which reports each bad row with its line number and reason, pays for the ' +
      'valid rows in one checkout and makes their labels. Poll GET /labels/batches/{id}.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', maxLength: MAX_BATCH_CSV_BYTES, example: batchTemplateCsv() } })
  @ApiResponse({ status: 202, type: BatchView, description: 'queued: the batch, `status: "queued"`' })
  @ApiBadRequestResponse({
    description:
      'not UTF-8, unreadable CSV, unknown/missing/duplicate columns, no rows, more than 1,000 rows, a row over ' +
      `${MAX_BATCH_ROW_CHARS} characters, or bad query options`,
  })
  @ApiPayloadTooLargeResponse({ description: `the body is over ${MAX_BATCH_CSV_BYTES} bytes` })
  @ApiTooManyRequests(
    'more than PICKUP_BATCH_RATE_LIMIT batches (default 10) from one account in PICKUP_BATCH_RATE_LIMIT_WINDOW_SECONDS (default 3600); a file refused with 400/413/415 does not count',
  )
  @ApiResponse({ status: 415, description: 'the Content-Type is not text/csv, or a charset other than UTF-8' })
  submit(
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @Query() query: CreateBatchQueryDto,
    @IdempotencyScopeParam() scope: IdempotencyScope,
  ) {
    const csv = csvBody(req);
    const payment = { method: query.payment ?? 'balance', paymentMethodId: query.paymentMethodId };
    return this.batches.submit(ownerScope(user), csv, payment, query.invalidRows ?? 'skip', scope, actingMember(user));
  }

  @Get('template.csv')
  @ApiOperation({ summary: 'The batch CSV template: the header and one example row' })
  @ApiProduces('text/csv')
  template(@Res({ passthrough: true }) res: Response): string {
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="label-batch-template.csv"');
    return batchTemplateCsv();
  }

  @Get()
  @ApiOperation({ summary: "The caller's batches, newest first (without their rows)" })
  @ApiOkResponse({ type: BatchViewPage })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.batches.list(ownerScope(user), query.limit, query.cursor);
  }

  @Get(':id')
  @ApiParam(BATCH_ID_PARAM)
  @ApiOperation({
    summary: 'A batch and its progress',
    description:
      'status: queued → validating → paying → issuing → completed, or failed (`failure: {code, message}`: ' +
      '`invalid_rows` with invalidRows=reject, `no_valid_rows`, `insufficient_balance`, a card decline). ' +
      '`errors` lists each bad row `{line, reference, reason}` (line 1 is the header). 404 for another owner.',
  })
  @ApiOkResponse({ type: BatchView })
  @ApiHeader(ACCEPT_LANGUAGE)
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return toBatchView(await this.batches.get(ownerScope(user), id), negotiateLanguage(acceptLanguage));
  }

  @Get(':id/labels.pdf')
  @ApiParam(BATCH_ID_PARAM)
  @ApiOperation({ summary: "One PDF of every label of a completed batch, one 4×6 page per label, in the CSV's order" })
  @ApiProduces('application/pdf')
  @ApiConflictResponse({ description: 'the batch has not completed' })
  @ApiHeader(ACCEPT_LANGUAGE)
  async pdf(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    const language = negotiateLanguage(acceptLanguage);
    const pdf = await this.batches.mergedPdf(ownerScope(user), id, language);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-language', language);
    res.setHeader('content-disposition', `inline; filename="batch-${id}.pdf"`);
    return new StreamableFile(pdf);
  }

  @Get(':id/labels.csv')
  @ApiParam(BATCH_ID_PARAM)
  @ApiOperation({
    summary: 'The outcome of every row: line, reference, outcome (created/invalid/not_created), tracking number…',
    description:
      'Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are prefixed with an apostrophe.',
  })
  @ApiProduces('text/csv')
  @ApiConflictResponse({ description: 'the batch is still running' })
  @ApiHeader(ACCEPT_LANGUAGE)
  async csv(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    const language = negotiateLanguage(acceptLanguage);
    const csv = await this.batches.resultCsv(ownerScope(user), id, language);
    res.setHeader('content-language', language);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="batch-${id}.csv"`);
    return csv;
  }
}

/** The CSV bytes of the upload: text/csv only, and UTF-8 when a charset is named. */
function csvBody(req: Request): Buffer {
  const type = req.headers['content-type'] ?? '';
  const [media, ...params] = type.split(';').map((part) => part.trim().toLowerCase());
  if (media !== 'text/csv') throw new UnsupportedMediaTypeException('Content-Type must be text/csv');
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeException(`the CSV must be UTF-8, not ${charset}`);
  }
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}
