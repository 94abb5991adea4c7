// Inflation bounded by what the data declares about itself. A gzip or zlib
// stream can expand ~1032-fold (RFC 1951's longest match per bit pattern), so a
// 1.5 MB file can inflate to 1.5 GB before any size check sees it. Formats that
// put their size up front (an IDX header, a MAT element tag, an .npz member's
// .npy header) are inflated in two
// steps: a small prefix to read that size, then the whole stream with its output
// capped at the declared size plus a margin, so a file that lies fails fast.
import { constants as buffers } from 'node:buffer';
import { constants, gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';

/** Deflate's best case: 258 bytes from one 1-bit code ≈ 1032:1, plus headers. */
export const MAX_INFLATE_RATIO = 1032;
/** Bytes beyond the declared size still inflated, so that trailing junk gets the format's own error. */
const MARGIN = 4096;
const PREFIXES = [256, 4096, 65536];

export type Declared = number | 'need-more' | 'not-this-format';

export interface DeclaredFormat {
  /** 'raw' is bare deflate (RFC 1951), as a zip member stores it. */
  framing: 'gzip' | 'zlib' | 'raw';
  /** What declares the size, for messages: `IDX header`, `element tag`. */
  header: string;
  /** The total size from the first inflated bytes; 'need-more' wants more of them, 'not-this-format' stops at the prefix for the parser to explain. */
  declared: (head: Uint8Array) => Declared;
}

/** `data` inflated, its output capped by the size its header declares. `fail` turns a problem into the caller's error naming the file. */
export function inflateDeclared(data: Uint8Array, { framing, header, declared }: DeclaredFormat, fail: (problem: string) => never): Uint8Array {
  const inflate = (input: Uint8Array, options: ZlibOptions): Uint8Array => {
    try {
      return (framing === 'gzip' ? gunzipSync : framing === 'zlib' ? inflateSync : inflateRawSync)(input, options);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw err;
      return fail(`corrupt ${framing} data: ${(err as Error).message}`);
    }
  };
  let size: Declared = 'need-more';
  for (const length of PREFIXES) {
    const whole = length >= data.length;
    // A prefix inflates without its end (Z_SYNC_FLUSH), and to at most 1032 × 64 KiB.
    const head = inflate(data.subarray(0, length), whole ? {} : { finishFlush: constants.Z_SYNC_FLUSH });
    size = declared(head);
    if (size === 'not-this-format' || (whole && size === 'need-more')) return head;
    if (typeof size === 'number') break;
  }
  if (typeof size !== 'number') return fail(`no ${header} within the first ${PREFIXES.at(-1)} compressed bytes`);
  if (size > MAX_INFLATE_RATIO * data.length + MARGIN) {
    return fail(`the ${header} declares ${size} bytes, more than ${data.length} compressed bytes can inflate to`);
  }
  if (size + MARGIN > buffers.MAX_LENGTH) return fail(`the ${header} declares ${size} bytes, more than one buffer holds (${buffers.MAX_LENGTH})`);
  try {
    return inflate(data, { maxOutputLength: size + MARGIN });
  } catch {
    return fail(`inflates to more than the ${size} bytes its ${header} declares (stopped at ${size + MARGIN})`);
  }
}
