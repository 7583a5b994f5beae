// Sets of catalogue positions as bitsets (one bit a document, 32 to a word).

export const EMPTY = new Uint32Array(0);

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** A bitset of `words` 32-bit words with the given positions set. */
export function bitsOf(positions: ArrayLike<number>, words: number): Uint32Array {
  const b = new Uint32Array(words);
  for (let k = 0; k < positions.length; k++) {
    const i = positions[k]!;
    b[i >>> 5]! |= 1 << (i & 31);
  }
  return b;
}

/** Calls visit with each set position in ascending order until it returns false. */
export function eachBit(b: Uint32Array, visit: (i: number) => boolean | void): void {
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!;
    while (x !== 0) {
      const low = x & -x;
      if (visit(w * 32 + 31 - Math.clz32(low)) === false) return;
      x ^= low;
    }
  }
}
