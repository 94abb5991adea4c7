// NumPy's .npz: a zip archive of .npy members, one per array, named
// `<name>.npy` (np.savez stores them, np.savez_compressed deflates them; numpy
// 1.24 writes zip64 extra fields, force_zip64=True, which fflate reads). The
// zip container is fflate's (maintained, no dependencies, synchronous); the
// members are decoded by npy.ts.
import { InputError } from '../core/input-error.ts';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Unzip, unzipSync, zipSync, type AsyncFlateStreamHandler, type UnzipDecoder, type Zippable } from 'fflate';
import { inflateDeclared, MAX_INFLATE_RATIO, type DeclaredFormat } from '../core/inflate.ts';
import { decodeNpy, encodeNpy, NPY_MAGIC, npyDeclaredSize, type NdArray, type NpyArray } from './npy.ts';

/** One array of an archive, in archive order. */
export interface NamedArray<A extends NdArray = NpyArray> {
  readonly name: string;
  readonly array: A;
}

const ZIP_MAGIC = Uint8Array.of(0x50, 0x4b); // PK

/** The arrays of an .npz archive in the order the archive lists them (np.load(f).files). */
export function decodeNpz(bytes: Uint8Array, source: string): NamedArray[] {
  if (bytes.length === 0) throw new InputError(source, 'not a .npz file: the file is empty');
  if (!ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    const first = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new InputError(source, `not a .npz file: bad magic (expected a zip archive, 50 4b = "PK", found ${first})`);
  }
  // Every member is checked from the central directory before anything is
  // inflated: names (a duplicate would silently win, `__proto__` would vanish
  // as an object key) and sizes (a declared size that deflate cannot reach is
  // a bomb). Nothing is inflated here: the filter only lists.
  const listed: string[] = [];
  try {
    unzipSync(bytes, {
      filter: ({ name, size, originalSize, compression }) => {
        if (name.endsWith('/')) return false; // a directory entry
        const where = `${source}:${quoteMember(name)}`;
        if (name === '') throw new InputError(source, 'the archive has a member with an empty name');
        if (listed.includes(name)) throw new InputError(where, 'appears twice in the archive');
        if (name === '__proto__' || name === '__proto__.npy') throw new InputError(where, 'is not a usable array name');
        const possible = compression === 0 ? size : MAX_INFLATE_RATIO * size + 1024;
        if (originalSize > possible) throw new InputError(where, `declares ${originalSize} bytes, more than its ${size} compressed bytes can hold`);
        listed.push(name);
        return false;
      },
    });
  } catch (err) {
    if (err instanceof InputError) throw err; // a member refused by the filter
    throw new InputError(source, `not a readable .npz (zip) archive: ${(err as Error).message}`);
  }
  if (listed.length === 0) throw new InputError(source, 'the .npz archive holds no arrays');
  const members = inflateMembers(bytes, source, new Set(listed));
  return listed.map((member) => {
    if (!member.endsWith('.npy')) throw new InputError(`${source}:${quoteMember(member)}`, 'is not a .npy member (np.savez names every array <name>.npy)');
    const name = member.slice(0, -4);
    const data = members.get(member);
    if (!data) throw new InputError(`${source}:${quoteMember(member)}`, 'is listed in the central directory but has no local entry');
    return { name, array: decodeNpy(data, `${source}:${name}`) };
  });
}

/**
 * The listed members, each deflated one inflated with its output capped by
 * what its own .npy header declares: the zip directory's size can be honest
 * and still ~1032× the compressed bytes.
 */
function inflateMembers(bytes: Uint8Array, source: string, listed: ReadonlySet<string>): Map<string, Uint8Array> {
  const members = new Map<string, Uint8Array>();
  const unzip = new Unzip((file) => {
    if (!listed.has(file.name) || members.has(file.name)) return;
    const chunks: Uint8Array[] = [];
    file.ondata = (err, chunk, final) => {
      if (err) throw err;
      chunks.push(chunk);
      if (final) members.set(file.name, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    file.start();
  });
  // fflate's decoder slot for deflate (method 8): gathers a member's compressed
  // bytes (chunks of `bytes`, not copies), then inflates them bounded by its .npy header.
  class BoundedInflate implements UnzipDecoder {
    static readonly compression = 8;
    ondata: AsyncFlateStreamHandler = () => {};
    private readonly compressed: Uint8Array[] = [];
    constructor(private readonly name: string) {}

    push(chunk: Uint8Array, final: boolean): void {
      this.compressed.push(chunk);
      if (!final) return;
      const data = this.compressed.length === 1 ? this.compressed[0]! : Buffer.concat(this.compressed);
      const fail = (problem: string): never => {
        throw new InputError(`${source}:${quoteMember(this.name)}`, problem);
      };
      // node's zlib returns a Buffer over a plain ArrayBuffer.
      this.ondata(null, inflateDeclared(data, NPY_MEMBER, fail) as Uint8Array<ArrayBuffer>, true);
    }
  }
  unzip.register(BoundedInflate);
  try {
    unzip.push(bytes, true);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(source, `not a readable .npz (zip) archive: ${(err as Error).message}`);
  }
  return members;
}

/** What bounds a member's inflation: the size its .npy header declares (a header npy.ts refuses is left to decodeNpy to explain). */
const NPY_MEMBER: DeclaredFormat = {
  framing: 'raw',
  header: '.npy header',
  declared: (head) => {
    try {
      return npyDeclaredSize(head, 'member') ?? 'need-more';
    } catch {
      return 'not-this-format';
    }
  },
};

/** A member name as it goes into a message: at most 200 characters. */
const quoteMember = (name: string) => (name.length > 200 ? `${name.slice(0, 200)}…` : name);

/** Bytes of an .npz with the arrays in the given order, stored (np.savez) or deflated (np.savez_compressed). */
export function encodeNpz(arrays: readonly NamedArray<NdArray>[], options: { compress?: boolean } = {}): Uint8Array {
  const files: Zippable = {};
  for (const { name, array } of arrays) {
    if (`${name}.npy` in files) throw new RangeError(`encodeNpz: duplicate array name ${JSON.stringify(name)}`);
    files[`${name}.npy`] = encodeNpy(array);
  }
  // A fixed timestamp keeps the archive a pure function of its arrays.
  return zipSync(files, { level: options.compress ? 6 : 0, mtime: new Date(1980, 0, 1) });
}

/** Which container a file's bytes are: its magic, whatever its name. */
export function arrayFileKind(bytes: Uint8Array): 'npy' | 'npz' | 'unknown' {
  if (bytes.length >= 6 && NPY_MAGIC.every((b, i) => bytes[i] === b)) return 'npy';
  if (bytes.length >= 2 && ZIP_MAGIC.every((b, i) => bytes[i] === b)) return 'npz';
  return 'unknown';
}

export function readFileBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(path, `cannot read: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? (err as Error).message)}`);
  }
}

/**
 * The arrays of a .npy (one, named after the file without its extension) or
 * .npz file (all, in archive order), told apart by magic.
 */
export function readArrayFile(path: string): NamedArray[] {
  const bytes = readFileBytes(path);
  switch (arrayFileKind(bytes)) {
    case 'npy':
      return [{ name: basename(path).replace(/\.npy$/i, ''), array: decodeNpy(bytes, path) }];
    case 'npz':
      return decodeNpz(bytes, path);
    default: {
      const first = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new InputError(path, `not a .npy or .npz file: bad magic (expected "\\x93NUMPY" or a zip archive "PK", found ${first || 'an empty file'})`);
    }
  }
}
