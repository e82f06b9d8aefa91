import { Body, Get, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiOkResponse,
  ApiCreatedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, CurrentUser, OrgActingController, OrgPermissionRequired, ownerScope } from '@app/auth';
import { OrgPermissions } from '@app/contracts';
import { PageQueryDto } from '@app/platform';
import { LabelsRepository } from '../labels/labels.repository';
import { CreateManifestDto } from './dto/create-manifest.dto';
import { ManifestPdfRenderer } from './manifest-pdf.renderer';
import { ManifestsService, toManifestView } from './manifests.service';
import { ManifestIdPipe } from './manifest-id.pipe';
import { ManifestView, ManifestViewPage } from './dto/manifest-view.dto';

// Teams (issue 18): acting for an organisation reads and writes its labels, with the role's permission.
@OrgActingController('manifests', 'manifests')
export class ManifestsController {
  constructor(
    private readonly manifests: ManifestsService,
    private readonly labels: LabelsRepository,
    private readonly pdf: ManifestPdfRenderer,
  ) {}

  @Post()
  @OrgPermissionRequired(OrgPermissions.Ship)
  @ApiOperation({
    summary: 'A SCAN form: one barcode for a set of your labels handed over on one date',
    description:
      'The first acceptance scan of the manifest number (POST /scans, code `accepted` or `picked_up`) accepts ' +
      'every label on it and completes the scheduled pickups they are attached to; later scans change nothing. ' +
      'A label can be on one manifest only.',
  })
  @ApiNotFoundResponse({ description: "a label id is not one of the caller's labels" })
  @ApiConflictResponse({ description: 'a label is refunded, already accepted, or already on a manifest' })
  @ApiCreatedResponse({ type: ManifestView })
  async create(@CurrentUser() user: AuthUser, @Body() body: CreateManifestDto) {
    return this.manifests.create(ownerScope(user), body);
  }

  @Get()
  @ApiOkResponse({ type: ManifestViewPage })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.manifests.list(ownerScope(user), query.limit, query.cursor);
  }

  @Get(':id')
  @ApiParam({
    name: 'id',
    description: 'the 22-digit manifest number',
    schema: { type: 'string', pattern: '^92750\\d{17}$' },
  })
  @ApiOkResponse({ type: ManifestView })
  async get(@CurrentUser() user: AuthUser, @Param('id', ManifestIdPipe) id: string) {
    return toManifestView(await this.manifests.get(ownerScope(user), id));
  }

  @Get(':id/pdf')
  @ApiParam({
    name: 'id',
    description: 'the 22-digit manifest number',
    schema: { type: 'string', pattern: '^92750\\d{17}$' },
  })
  @ApiProduces('application/pdf')
  async pdfFile(
    @CurrentUser() user: AuthUser,
    @Param('id', ManifestIdPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const manifest = await this.manifests.get(ownerScope(user), id);
    const labels = await this.labels.findOwnedByTrackingNumbers(ownerScope(user), manifest.trackingNumbers);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `inline; filename="scan-form-${id}.pdf"`);
    return new StreamableFile(await this.pdf.render(manifest, labels));
  }
}
