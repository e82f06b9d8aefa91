import { type BatchCsvColumn } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { CreateLabelDto } from '../labels/dto/create-label.dto';
import type { PaymentDto } from '../payments/dto/payment.dto';
import type { BatchRow } from './batch-csv';

const NUMBER = /^\d+(\.\d+)?$/;

/** A cell as a number for the validator; anything not plainly numeric fails its number check. */
function numberCell(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  return NUMBER.test(value) ? Number(value) : Number.NaN;
}

const text = (value: string | undefined) => (value === '' ? undefined : value);

/** The row as the body of `POST /labels` (so a batch row obeys exactly the rules of one label). */
export function rowToLabelRequest(row: BatchRow, payment: PaymentDto): CreateLabelDto {
  const c = row.cells;
  return plainToInstance(CreateLabelDto, {
    from: {
      name: c.from_name,
      line1: c.from_line1,
      line2: text(c.from_line2),
      city: c.from_city,
      state: c.from_state?.toUpperCase(),
      zip: c.from_zip,
    },
    to: {
      name: c.to_name,
      line1: c.to_line1,
      line2: text(c.to_line2),
      city: c.to_city,
      state: c.to_state?.toUpperCase(),
      zip: c.to_zip,
    },
    weightOz: numberCell(c.weight_oz),
    lengthIn: numberCell(c.length_in),
    widthIn: numberCell(c.width_in),
    heightIn: numberCell(c.height_in),
    service: c.service?.toLowerCase(),
    payment,
  });
}

/** The CSV column a DTO property path comes from (`to.zip` → `to_zip`, `weightOz` → `weight_oz`). */
const COLUMN_OF: Record<string, BatchCsvColumn> = {
  weightOz: 'weight_oz',
  lengthIn: 'length_in',
  widthIn: 'width_in',
  heightIn: 'height_in',
  service: 'service',
};

function columnOf(path: string): string {
  if (COLUMN_OF[path]) return COLUMN_OF[path];
  return path.replace('.', '_');
}

function messages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((m) => `${columnOf(path)}: ${m}`);
    return [...own, ...messages(error.children ?? [], path)];
  });
}

/** Every problem of a row as the class-validator rules of `POST /labels` see it; empty when valid. */
export async function rowProblems(request: CreateLabelDto): Promise<string[]> {
  return messages(await validate(request, { whitelist: true, forbidNonWhitelisted: true }));
}
