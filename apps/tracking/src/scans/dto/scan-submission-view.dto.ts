import { ApiProperty } from '@nestjs/swagger';
import type { ScanSubmission as ScanSubmissionShape } from '../scans.service';

class RejectedScan {
  @ApiProperty({ type: 'integer', description: 'its index in `scans`' }) index!: number;
  @ApiProperty() reason!: string;
}

export class ScanSubmission implements ScanSubmissionShape {
  @ApiProperty({ type: 'integer' }) accepted!: number;
  @ApiProperty({ type: [RejectedScan] }) rejected!: RejectedScan[];
}
