// NumPy's .npz: a zip archive of .npy members, one per array, named
// `<name>.npy` (np.savez stores them, np.savez_compressed deflates them; numpy
// 1.24 writes zip64 extra fields, force_zip64=True, which fflate reads). The
// zip container is fflate's (maintained, no dependencies, synchronous); the
// members are decoded by npy.ts.
import { InputError } from '../core/input-error.ts';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { MAX_INFLATE_RATIO } from '../core/inflate.ts';
import { decodeNpy, encodeNpy, NPY_MAGIC, type NdArray, type NpyArray } from './npy.ts';

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
  // as an object key) and sizes (fflate inflates each into a buffer of the
  // declared size, so a declared size that deflate cannot reach is a bomb).
  const listed: string[] = [];
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, {
      filter: ({ name, size, originalSize, compression }) => {
        if (name.endsWith('/')) return false; // a directory entry
        const where = `${source}:${quoteMember(name)}`;
        if (name === '') throw new InputError(source, 'the archive has a member with an empty name');
        if (listed.includes(name)) throw new InputError(where, 'appears twice in the archive');
        if (name === '__proto__' || name === '__proto__.npy') throw new InputError(where, 'is not a usable array name');
        const possible = compression === 0 ? size : MAX_INFLATE_RATIO * size + 1024;
        if (originalSize > possible) throw new InputError(where, `declares ${originalSize} bytes, more than its ${size} compressed bytes can hold`);
        listed.push(name);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof InputError) throw err; // a member refused by the filter
    throw new InputError(source, `not a readable .npz (zip) archive: ${(err as Error).message}`);
  }
  if (listed.length === 0) throw new InputError(source, 'the .npz archive holds no arrays');
  return listed.map((member) => {
    if (!member.endsWith('.npy')) throw new InputError(`${source}:${quoteMember(member)}`, 'is not a .npy member (np.savez names every array <name>.npy)');
    const name = member.slice(0, -4);
    return { name, array: decodeNpy(members[member]!, `${source}:${name}`) };
  });
}

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
