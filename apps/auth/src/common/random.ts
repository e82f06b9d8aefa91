import { Injectable } from '@nestjs/common';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Ids, codes and opaque tokens; one injectable so tests can make them predictable. */
@Injectable()
export class RandomSource {
  id(prefix: string): string {
    return `${prefix}_${randomUUID().replace(/-/g, '')}`;
  }

  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(randomInt(10));
    return out;
  }

  fromAlphabet(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
    return out;
  }

  /** An opaque secret of `bytes` random bytes, base64url. */
  token(bytes = 32): string {
    return randomBytes(bytes).toString('base64url');
  }
}
