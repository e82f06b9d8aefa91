import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

/** A manifest number: 22 digits starting 92 750 (400 otherwise, before any lookup). */
@Injectable()
export class ManifestIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const id = value.replace(/\s+/g, '');
    if (!/^92750\d{17}$/.test(id)) throw new BadRequestException('a manifest number is 22 digits starting with 92750');
    return id;
  }
}
