import {
  BadRequestException,
  ConflictException,
  HttpException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  encodeTimeCursor,
  pageOf,
  type Page,
  type QuotaLimit,
  Clock,
  IdGenerator,
  RedisConnection,
  RedisQuota,
  serverT,
} from '@app/platform';
import type { Language } from '@app/contracts/i18n/languages';
import { PDFDocument } from 'pdf-lib';
import { CheckoutService } from '../account/checkout.service';
import { EventFactory } from '../common/event-factory';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { buildImpbPic } from '../labels/impb';
import { LabelPdfRenderer } from '../labels/label-pdf.renderer';
import { LabelsRepository } from '../labels/labels.repository';
import { LabelsService } from '../labels/labels.service';
import { SerialAllocator } from '../labels/serial-allocator';
import type { PaymentDto } from '../payments/dto/payment.dto';
import { derivedId } from '../payments/idempotency.service';
import { RatesService } from '../rates/rates.service';
import { type BatchRow, parseBatchCsv, BatchCsvError, toSafeCsv } from './batch-csv';
import { rowProblems, rowToLabelRequest } from './batch-rows';
import type { BatchItem, BatchRowError, InvalidRowsPolicy, LabelBatch } from './batch.schema';
import { BatchQueue } from './batch-queue';
import { BatchesRepository } from './batches.repository';
import { batchFailure, batchRowReason } from './batch-texts';
import { newLabelDocument } from '../labels/label-document';
import type { Label } from '../labels/label.schema';

/** The ledger entry that pays for a whole batch: one checkout, one card charge (its idempotency key). */
export const batchChargeId = (batchId: string) => `batch_charge:${batchId}`;

const MAX_SERIAL_ATTEMPTS = 5;
/** How often the issuing loop records its progress (labels). */
const PROGRESS_EVERY = 25;

export interface BatchView {
  batchId: string;
  status: LabelBatch['status'];
  invalidRows: InvalidRowsPolicy;
  payment: { method: PaymentDto['method'] };
  rows: number;
  rowsValidated: number;
  validRows: number;
  errors: BatchRowError[];
  labelsIssued: number;
  totalCents: number;
  failure?: { code: string; message: string };
  createdAt: string;
  completedAt?: string;
  /** Present once completed. */
  labelIds?: string[];
  links: { self: string; pdf?: string; csv?: string };
}

/** The view of a batch; its rows' reasons and failure message in `language` (they are stored in English). */
export function toBatchView(batch: LabelBatch, language: Language = 'en'): BatchView {
  const base = `/api/v1/labels/batches/${batch._id}`;
  const done = batch.status === 'completed';
  return {
    batchId: batch._id,
    status: batch.status,
    invalidRows: batch.invalidRows,
    payment: { method: batch.payment.method },
    rows: batch.rowCount,
    rowsValidated: batch.rowsValidated,
    validRows: batch.items?.length ?? 0,
    errors: (batch.rowErrors ?? []).map((e) => ({ ...e, reason: batchRowReason(e.reason, language) })),
    labelsIssued: batch.labelsIssued,
    totalCents: batch.totalCents,
    failure: batchFailure(batch.failure, language),
    createdAt: batch.createdAt.toISOString(),
    completedAt: batch.completedAt?.toISOString(),
    labelIds: done ? batch.items.map((i) => i.labelId) : undefined,
    links: {
      self: base,
      pdf: done ? `${base}/labels.pdf` : undefined,
      csv: done || batch.status === 'failed' ? `${base}/labels.csv` : undefined,
    },
  };
}

/**
 * Batch shipping: an upload is checked as a file (encoding, header, size) and queued; its job checks
 * every row by the rules of `POST /labels`, allocates the good rows' tracking numbers, pays for all
 * of them in one checkout (ledger entry `batch_charge:<batchId>`, which carries the batch as its
 * effect), then inserts the labels. Each step can be repeated after a crash without a second charge.
 */
@Injectable()
export class BatchesService {
  private readonly quota: RedisQuota;
  private readonly batchesPerAccount: QuotaLimit;

  constructor(
    private readonly batches: BatchesRepository,
    private readonly queue: BatchQueue,
    private readonly rates: RatesService,
    private readonly serials: SerialAllocator,
    private readonly labels: LabelsService,
    private readonly labelsRepository: LabelsRepository,
    private readonly pdf: LabelPdfRenderer,
    private readonly checkout: CheckoutService,
    private readonly events: EventFactory,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
    redis: RedisConnection,
  ) {
    this.quota = new RedisQuota(redis.client, 'pickup:quota');
    const window = config.PICKUP_BATCH_RATE_LIMIT_WINDOW_SECONDS;
    const per = window === 3600 ? 'per hour' : `in ${window} seconds`;
    this.batchesPerAccount = {
      name: 'batches:account',
      points: config.PICKUP_BATCH_RATE_LIMIT,
      durationSeconds: window,
      reason: `at most ${config.PICKUP_BATCH_RATE_LIMIT} batches per account ${per}; try again later`,
    };
  }

  /** Checks the file, stores the batch and queues its job. With an Idempotency-Key the id derives from it. */
  async submit(
    ownerId: string,
    csv: Buffer,
    payment: PaymentDto,
    invalidRows: InvalidRowsPolicy,
    scope?: string,
    actedBy?: string,
  ): Promise<BatchView> {
    let rows: BatchRow[];
    try {
      rows = parseBatchCsv(csv);
    } catch (error) {
      if (error instanceof BatchCsvError) throw new BadRequestException(error.message);
      throw error;
    }
    // Each batch is up to 1,000 labels and a merged PDF: a per-account limit keeps one account from
    // filling the batch queue (429 with Retry-After). A refused file (above) does not count.
    await this.quota.take([{ limit: this.batchesPerAccount, key: ownerId }]);
    const batchId = scope ? derivedId(scope, 'label-batch') : this.ids.uuid();
    const now = this.clock.now();
    const batch: LabelBatch = {
      _id: batchId,
      ownerId,
      ...(actedBy ? { createdBy: actedBy } : {}),
      status: 'queued',
      payment: { method: payment.method, paymentMethodId: payment.paymentMethodId },
      invalidRows,
      rows,
      rowCount: rows.length,
      rowErrors: [],
      items: [],
      rowsValidated: 0,
      labelsIssued: 0,
      totalCents: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.batches.insert(batch);
    // Enqueued after the insert (a job never finds no batch); a repeat is a no-op while the job is kept.
    await this.queue.enqueue(batchId);
    return toBatchView((await this.batches.findById(batchId)) ?? batch);
  }

  async get(ownerId: string, batchId: string): Promise<LabelBatch> {
    const batch = await this.batches.findOwned(ownerId, batchId);
    if (!batch) throw new NotFoundException(`batch ${batchId} not found`);
    return batch;
  }

  async list(ownerId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<BatchView>> {
    const rows = await this.batches.list(ownerId, limit, cursor);
    return pageOf(
      rows,
      limit,
      (last) => encodeTimeCursor({ createdAt: last.createdAt, id: last._id }),
      (b) => toBatchView({ ...b, rows: [], items: b.items ?? [] }),
    );
  }

  /** The job: resumes from the step the batch is at, so a retry after a crash repeats nothing paid. */
  async process(batchId: string): Promise<void> {
    let batch = await this.batches.findById(batchId);
    if (!batch || batch.status === 'completed' || batch.status === 'failed') return;
    if (batch.status === 'queued' || batch.status === 'validating') {
      batch = await this.validateAndPrepare(batch);
      if (batch.status === 'failed') return;
    }
    if (batch.status === 'paying') {
      try {
        await this.pay(batch);
      } catch (error) {
        // A refusal (402 short balance or declined card, 4xx) is the batch's outcome; anything else
        // (the provider unreachable, a crash) is retried by the queue with the same idempotency key.
        if (error instanceof HttpException && error.getStatus() < 500) {
          const body = error.getResponse() as { code?: string; message?: string };
          await this.fail(batchId, body.code ?? 'payment_failed', body.message ?? error.message);
          return;
        }
        throw error;
      }
    }
    // Paid: the entry's effect inserts the labels (now, or the ledger sweep after a crash).
    await this.issue({ batchId });
  }

  /** The ledger effect of a batch's charge: inserts its labels (idempotent), then completes the batch. */
  async issue(document: Record<string, unknown>): Promise<void> {
    const batchId = String(document.batchId);
    const batch = await this.batches.findById(batchId);
    if (!batch || batch.status === 'completed') return;
    await this.batches.set(batchId, { status: 'issuing', updatedAt: this.clock.now() });
    let issued = 0;
    for (const item of batch.items) {
      await this.labels.issue(item.document);
      issued += 1;
      if (issued % PROGRESS_EVERY === 0) await this.batches.set(batchId, { labelsIssued: issued });
    }
    const now = this.clock.now();
    await this.batches.set(batchId, { status: 'completed', labelsIssued: issued, updatedAt: now, completedAt: now });
  }

  private async validateAndPrepare(batch: LabelBatch): Promise<LabelBatch> {
    await this.batches.set(batch._id, { status: 'validating', updatedAt: this.clock.now() });
    const errors: BatchRowError[] = [];
    const good: { row: BatchRow; request: ReturnType<typeof rowToLabelRequest> }[] = [];
    let validated = 0;
    for (const row of batch.rows) {
      const reference = row.cells.reference || undefined;
      const request = rowToLabelRequest(row, batch.payment);
      const problems = row.shapeError ? [row.shapeError] : await rowProblems(request);
      if (problems.length === 0) {
        try {
          this.rates.quote(request.from!.zip, request.to!.zip, request, request.service);
        } catch (error) {
          problems.push(error instanceof HttpException ? error.message : String(error));
        }
      }
      if (problems.length > 0) errors.push({ line: row.line, reference, reason: problems.join('; ') });
      else good.push({ row, request });
      validated += 1;
      if (validated % 100 === 0) await this.batches.set(batch._id, { rowsValidated: validated });
    }
    if (errors.length > 0 && batch.invalidRows === 'reject') {
      const message = serverT('en')('errors:batch_invalid_rows', { count: errors.length });
      return this.fail(batch._id, 'invalid_rows', message, { rowErrors: errors, rowsValidated: validated });
    }
    if (good.length === 0) {
      const message = 'no row is valid; no labels were made';
      return this.fail(batch._id, 'no_valid_rows', message, { rowErrors: errors, rowsValidated: validated });
    }
    const items: BatchItem[] = [];
    for (const { row, request } of good) items.push(await this.prepare(batch, row, request));
    const totalCents = items.reduce((sum, item) => sum + item.priceCents, 0);
    const fields = { status: 'paying' as const, rowsValidated: validated, rowErrors: errors, items, totalCents };
    await this.batches.set(batch._id, { ...fields, updatedAt: this.clock.now() });
    return { ...batch, ...fields };
  }

  /**
   * The label document of a good row, as LabelsService.create builds one (same rate, same IMpb
   * number, same LabelCreated event), but paid by the batch's entry instead of its own.
   */
  private async prepare(
    batch: LabelBatch,
    row: BatchRow,
    request: ReturnType<typeof rowToLabelRequest>,
  ): Promise<BatchItem> {
    const labelId = derivedId(`${batch._id}:${row.line}`, 'batch-label');
    const from = { ...request.from! };
    const to = { ...request.to! };
    const [rate] = this.rates.quote(from.zip, to.zip, request, request.service);
    const dims =
      request.lengthIn !== undefined && request.widthIn !== undefined && request.heightIn !== undefined
        ? { lengthIn: request.lengthIn, widthIn: request.widthIn, heightIn: request.heightIn }
        : undefined;
    for (let attempt = 0; attempt < MAX_SERIAL_ATTEMPTS; attempt++) {
      const { index, serial } = await this.serials.next();
      const trackingNumber = buildImpbPic(request.service, this.config.IMPB_MAILER_ID, serial);
      if (await this.labelsRepository.findByTrackingNumber(trackingNumber)) {
        await this.serials.recover('collision');
        continue;
      }
      const createdAt = this.clock.now();
      const label = newLabelDocument(this.events, {
        labelId,
        trackingNumber,
        serialIndex: index,
        userId: batch.ownerId,
        actedBy: batch.createdBy,
        rate,
        weightOz: request.weightOz,
        dimensions: dims,
        from,
        to,
        createdAt,
        more: { paidBy: batch.payment.method, batchId: batch._id },
      });
      return {
        line: row.line,
        reference: row.cells.reference || undefined,
        labelId,
        trackingNumber,
        priceCents: rate.priceCents,
        document: label as unknown as Record<string, unknown>,
      };
    }
    throw new ConflictException('could not allocate a unique tracking number; the job retries');
  }

  private async pay(batch: LabelBatch): Promise<void> {
    await this.checkout.purchase({
      entryId: batchChargeId(batch._id),
      ownerId: batch.ownerId,
      kind: 'label_charge',
      amountCents: batch.totalCents,
      description: `Batch of ${batch.items.length} shipping labels (${batch._id})`,
      subjectId: batch._id,
      payment: batch.payment,
      effect: { type: 'issue_batch', document: { batchId: batch._id } },
    });
    await this.batches.set(batch._id, { chargeEntryId: batchChargeId(batch._id), updatedAt: this.clock.now() });
  }

  private async fail(
    batchId: string,
    code: string,
    message: string,
    extra: Partial<LabelBatch> = {},
  ): Promise<LabelBatch> {
    const now = this.clock.now();
    const fields = { status: 'failed' as const, failure: { code, message }, updatedAt: now, completedAt: now };
    await this.batches.set(batchId, { ...fields, ...extra });
    return (await this.batches.findById(batchId))!;
  }

  /** One PDF with every label of a completed batch, one label per page, in the CSV's row order, in `language`. */
  async mergedPdf(ownerId: string, batchId: string, language: Language = 'en'): Promise<Buffer> {
    const batch = await this.completed(ownerId, batchId);
    const labels = await this.labelsRepository.findOwnedByTrackingNumbers(
      ownerId,
      batch.items.map((i) => i.trackingNumber),
    );
    const byNumber = new Map(labels.map((l) => [l._id, l]));
    const ordered = batch.items.flatMap((item) => byNumber.get(item.trackingNumber) ?? []);
    return mergeLabelPdfs(this.pdf, ordered, serverT(language)('documents:batch_labels_title', { batchId }), language);
  }

  /** The outcome of every row: its tracking number, or why it was refused. Cells are spreadsheet-safe. */
  async resultCsv(ownerId: string, batchId: string, language: Language = 'en'): Promise<string> {
    const batch = await this.get(ownerId, batchId);
    if (batch.status !== 'completed' && batch.status !== 'failed') {
      throw new ConflictException(`batch ${batchId} is ${batch.status}; the CSV is ready once it completes`);
    }
    const items = new Map(batch.items.map((i) => [i.line, i]));
    const errors = new Map(batch.rowErrors.map((e) => [e.line, e]));
    const issued = batch.status === 'completed';
    const rows = batch.rows.map((row) => {
      const item = items.get(row.line);
      const error = errors.get(row.line);
      const outcome = error ? 'invalid' : issued && item ? 'created' : 'not_created';
      return [
        row.line,
        row.cells.reference,
        outcome,
        issued ? item?.trackingNumber : undefined,
        issued ? item?.labelId : undefined,
        item?.priceCents,
        row.cells.to_name,
        row.cells.to_zip,
        error
          ? batchRowReason(error.reason, language)
          : issued
            ? undefined
            : batchFailure(batch.failure, language)?.message,
      ];
    });
    return toSafeCsv(
      ['line', 'reference', 'outcome', 'tracking_number', 'label_id', 'price_cents', 'to_name', 'to_zip', 'error'],
      rows,
    );
  }

  private async completed(ownerId: string, batchId: string): Promise<LabelBatch> {
    const batch = await this.get(ownerId, batchId);
    if (batch.status !== 'completed') {
      throw new ConflictException(`batch ${batchId} is ${batch.status}; its labels are ready once it completes`);
    }
    return batch;
  }
}

/**
 * One PDF of the labels, one page each, in order (each rendered alone, then its page copied in).
 * Measured for 1,000 labels by bench/batch-pdf.ts (README "Batch shipping").
 */
export async function mergeLabelPdfs(
  pdf: LabelPdfRenderer,
  labels: readonly Label[],
  title: string,
  language: Language = 'en',
): Promise<Buffer> {
  const merged = await PDFDocument.create();
  merged.setTitle(title);
  for (const label of labels) {
    const one = await PDFDocument.load(await pdf.render(label, '4x6', language));
    for (const page of await merged.copyPages(one, one.getPageIndices())) merged.addPage(page);
  }
  return Buffer.from(await merged.save());
}
