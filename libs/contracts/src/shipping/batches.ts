/** BullMQ queues of the pickup service (one processor per queue). */
export const PickupQueues = {
  LabelBatches: 'label-batches',
} as const;

export type PickupQueue = (typeof PickupQueues)[keyof typeof PickupQueues];

/** BullMQ job names of the pickup service. */
export const PickupJobs = {
  ProcessLabelBatch: 'process-label-batch',
} as const;

/** The upload route: its body is a CSV (text/csv), not JSON, at the gateway and in pickup. */
export const BATCH_UPLOAD_PATH = '/api/v1/labels/batches';

/** Most data rows one batch CSV may have (the header line not counted). */
export const MAX_BATCH_ROWS = 1000;

/** Largest batch CSV body in bytes (1,000 rows of long addresses fit with room to spare). */
export const MAX_BATCH_CSV_BYTES = 512 * 1024;

/** Longest single CSV row in characters: a hostile huge field is refused, not stored. */
export const MAX_BATCH_ROW_CHARS = 2_000;

/**
 * The columns of a batch CSV, in the template's order. `*_line2`, the dimensions and `reference`
 * may be empty; every other cell is required. `reference` is the shipper's own id, echoed back.
 */
export const BATCH_CSV_COLUMNS = [
  'reference',
  'from_name',
  'from_line1',
  'from_line2',
  'from_city',
  'from_state',
  'from_zip',
  'to_name',
  'to_line1',
  'to_line2',
  'to_city',
  'to_state',
  'to_zip',
  'weight_oz',
  'length_in',
  'width_in',
  'height_in',
  'service',
] as const;

export type BatchCsvColumn = (typeof BATCH_CSV_COLUMNS)[number];

/** Columns that may be left empty. */
export const OPTIONAL_BATCH_CSV_COLUMNS: readonly BatchCsvColumn[] = [
  'reference',
  'from_line2',
  'to_line2',
  'length_in',
  'width_in',
  'height_in',
];

/**
 * A SCAN form's number (USPS PS Form 5630 style): an IMpb-shaped 22-digit number, channel `92`,
 * service type code `750` (a manifest, not a parcel), the mailer id, a serial and the MOD 10 check
 * digit, so a scanner and the tracking ingest accept it like any barcode.
 */
export const MANIFEST_CHANNEL_APPLICATION_ID = '92';
export const MANIFEST_SERVICE_TYPE_CODE = '750';

/** Whether a (normalised) scanned number is a manifest's: a prefix test, so the scan hot path stays a string compare. */
export function isManifestNumber(trackingNumber: string): boolean {
  return trackingNumber.startsWith(`${MANIFEST_CHANNEL_APPLICATION_ID}${MANIFEST_SERVICE_TYPE_CODE}`);
}

/** Most labels on one manifest. */
export const MAX_MANIFEST_LABELS = 1000;
