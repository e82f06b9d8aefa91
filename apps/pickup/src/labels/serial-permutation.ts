import { createHmac } from 'node:crypto';

const ROUNDS = 8;

/**
 * A keyed permutation of the serials 1..`size`: the allocator's counter goes in, the serial printed
 * in the tracking number comes out, so consecutive labels get unrelated numbers and nobody can walk
 * the counter to find other people's parcels, while distinct counters still give distinct serials
 * (a bijection, so uniqueness and the exhaustion point stay those of the counter).
 *
 * A balanced Feistel network (HMAC-SHA256 round function, 8 rounds) over the smallest even number
 * of bits covering the range, with cycle walking back into it (Black & Rogaway, "Ciphers with
 * arbitrary finite domains", 2002): each step is a bijection of the bit space, so walking until the
 * value falls in range is a bijection of the range. Without the key the sequence cannot be told
 * from random; with it, `invert` recovers the counter.
 */
export class SerialPermutation {
  private readonly halfBits: number;
  private readonly halfMask: number;

  constructor(
    private readonly key: string,
    readonly size: number,
  ) {
    if (!Number.isSafeInteger(size) || size < 2) throw new Error('the permutation needs a range of at least 2');
    let bits = Math.max(2, Math.ceil(Math.log2(size)));
    if (bits % 2 === 1) bits += 1;
    // 2 × 26 bits stay inside JavaScript's exact integers with room for the shifts below.
    if (bits > 52) throw new Error('the permutation range is too large');
    this.halfBits = bits / 2;
    this.halfMask = 2 ** this.halfBits - 1;
  }

  /** The serial of counter value `counter` (both in 1..size). */
  apply(counter: number): number {
    return this.walk(counter, (x) => this.encrypt(x));
  }

  /** The counter value whose serial is `serial`. */
  invert(serial: number): number {
    return this.walk(serial, (x) => this.decrypt(x));
  }

  private walk(value: number, step: (x: number) => number): number {
    if (!Number.isInteger(value) || value < 1 || value > this.size) {
      throw new Error(`${value} is outside 1–${this.size}`);
    }
    let x = value - 1;
    do x = step(x);
    while (x >= this.size);
    return x + 1;
  }

  private encrypt(x: number): number {
    let left = Math.floor(x / 2 ** this.halfBits);
    let right = x & this.halfMask;
    for (let round = 0; round < ROUNDS; round++) {
      [left, right] = [right, (left ^ this.round(round, right)) & this.halfMask];
    }
    return left * 2 ** this.halfBits + right;
  }

  private decrypt(x: number): number {
    let left = Math.floor(x / 2 ** this.halfBits);
    let right = x & this.halfMask;
    for (let round = ROUNDS - 1; round >= 0; round--) {
      [left, right] = [(right ^ this.round(round, left)) & this.halfMask, left];
    }
    return left * 2 ** this.halfBits + right;
  }

  private round(round: number, half: number): number {
    const input = Buffer.alloc(8);
    input.writeUInt32BE(round, 0);
    input.writeUInt32BE(half, 4);
    return createHmac('sha256', this.key).update(input).digest().readUInt32BE(0);
  }
}
