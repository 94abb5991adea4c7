// The .npy reader and writer against files numpy wrote (test/fixtures/npy,
// made by make_fixtures.py with numpy 1.24; fixtures.json says what numpy put
// in each) and against the format's specification (numpy/lib/format.py).
import { InputError } from '../../src/core/input-error.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, npyHeader, type NdArray } from '../../src/io/npy.ts';
import { decodeNpz, encodeNpz, readArrayFile } from '../../src/io/npz.ts';
import { zipSync } from 'fflate';
import { repoRoot } from '../helpers/cli.ts';

const dir = join(repoRoot, 'test/fixtures/npy');
const bytes = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
interface FixtureFile {
  descr: string;
  shape: number[];
  fortran_order: boolean;
  values: number[] | null;
}
const fixtures = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) as { numpy: string; files: Record<string, FixtureFile> };
const asNumbers = (a: NdArray) => Array.from(a.data as ArrayLike<number | bigint>, Number);

describe('decodeNpy on files numpy wrote', () => {
  const readable = Object.entries(fixtures.files).filter(([, f]) => f.values !== null);
  it.each(readable)('%s: shape, dtype and every value (C order) as numpy has them', (name, f) => {
    const a = decodeNpy(bytes(name), name);
    expect(a.descr).toBe(f.descr);
    expect(a.shape).toEqual(f.shape);
    expect(a.fortranOrder).toBe(f.fortran_order);
    const values = f.descr.endsWith('b1') ? f.values!.map(Number) : f.values!;
    expect(asNumbers(a)).toEqual(values);
  });

  it('reads format 2.0 headers, big-endian data (byte-swapped) and Fortran order (reordered)', () => {
    expect(decodeNpy(bytes('f4-v2.npy'), 'v2').version).toBe('2.0');
    const c = asNumbers(decodeNpy(bytes('f4-c.npy'), 'c'));
    expect(asNumbers(decodeNpy(bytes('f4-big-fortran.npy'), 'bf'))).toEqual(c);
    const f8 = decodeNpy(bytes('f8-big.npy'), 'big');
    expect(f8.data).toBeInstanceOf(Float64Array);
    expect(asNumbers(f8)).toEqual(asNumbers(decodeNpy(bytes('f8-fortran.npy'), 'f')));
    expect(asNumbers(decodeNpy(bytes('f8-3d-fortran.npy'), '3d'))).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  const refused: [string, RegExp][] = [
    ['c8.npy', /unsupported dtype: complex \(descr "<c8"\)/],
    ['unicode.npy', /unsupported dtype: unicode string \(descr "<U3"\)/],
    ['structured.npy', /unsupported dtype: a structured \(record\) dtype/],
    ['datetime.npy', /unsupported dtype: datetime64/],
    ['object.npy', /unsupported dtype: object/],
  ];
  it.each(refused)('refuses %s naming the file and the dtype', (name, message) => {
    expect(() => decodeNpy(bytes(name), `x/${name}`)).toThrow(InputError);
    expect(() => decodeNpy(bytes(name), `x/${name}`)).toThrow(new RegExp(`^x/${name.replace('.', '\\.')}: ${message.source}`));
  });

  it('refuses bad magic, truncation, trailing bytes, an unknown version and a garbled header', () => {
    const good = bytes('f4-c.npy');
    expect(() => decodeNpy(new TextEncoder().encode('hello world, not numpy'), 'a.npy')).toThrow(
      /^a\.npy: not a \.npy file: bad magic .*found 68 65 6c 6c 6f 20/,
    );
    expect(() => decodeNpy(new Uint8Array(0), 'e.npy')).toThrow(/bad magic .*an empty file/);
    expect(() => decodeNpy(good.subarray(0, good.length - 1), 't.npy')).toThrow(
      /^t\.npy: truncated: shape \(5, 3\) of <f4 needs 60 bytes of data, the file has 59/,
    );
    expect(() => decodeNpy(good.subarray(0, 40), 'h.npy')).toThrow(/^h\.npy: truncated: the header is/);
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    expect(() => decodeNpy(longer, 'l.npy')).toThrow(/corrupt: .*\(4 extra\)/);
    const v9 = good.slice();
    v9[6] = 9;
    expect(() => decodeNpy(v9, 'v.npy')).toThrow(/unsupported \.npy format version 9\.0/);
    const garbled = good.slice();
    garbled[10] = 0x3f; // '?' in place of the dict's '{'
    expect(() => decodeNpy(garbled, 'g.npy')).toThrow(/^g\.npy: the header is not a Python dict literal/);
  });
});

describe('encodeNpy', () => {
  it('writes exactly the bytes np.save wrote for the same arrays', () => {
    for (const name of [
      'f4-c.npy',
      'f4-1d.npy',
      'f4-scalar.npy',
      'f4-empty.npy',
      'labels-le-i8.npy',
      'labels-u1.npy',
      'labels-b1.npy',
      'labels-le-i4.npy',
      'acts-h1.npy',
    ]) {
      const a = decodeNpy(bytes(name), name);
      expect(Buffer.from(encodeNpy(a)).equals(Buffer.from(bytes(name))), name).toBe(true);
    }
  });

  it('follows the format 1.0 specification byte for byte', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i / 4 - 1);
    const out = encodeNpy({ data, shape: [3, 4] });
    expect([...out.subarray(0, 8)]).toEqual([0x93, ...Buffer.from('NUMPY'), 1, 0]); // magic, version 1.0
    const headerLength = out[8] | (out[9] << 8); // little-endian u16
    expect((10 + headerLength) % 64).toBe(0);
    const header = Buffer.from(out.subarray(10, 10 + headerLength)).toString('latin1');
    expect(header.endsWith('\n')).toBe(true);
    expect(header.slice(0, -1).trimEnd()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }");
    expect(/^[^\n]* *\n$/.test(header)).toBe(true); // padded with spaces only
    const body = out.subarray(10 + headerLength);
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    expect(body.length).toBe(48);
    for (let i = 0; i < 12; i++) expect(view.getFloat32(4 * i, true)).toBe(data[i]); // C order, little-endian
    expect(Buffer.from(npyHeader('|u1', [7])).toString('latin1')).toContain("'shape': (7,), }");
  });

  it('round-trips every dtype it writes', () => {
    const arrays: NdArray[] = [
      { data: Float64Array.of(1.5, -2, 3e300), shape: [3] },
      { data: Int8Array.of(-128, 127), shape: [2, 1] },
      { data: Uint16Array.of(65535, 0), shape: [2] },
      { data: Uint32Array.of(4e9), shape: [1] },
      { data: Int16Array.of(-5), shape: [1, 1, 1] },
      { data: BigInt64Array.of(-(2n ** 62n)), shape: [1] },
      { data: BigUint64Array.of(2n ** 63n), shape: [1] },
      { data: Uint8Array.of(1, 0, 1), shape: [3], bool: true },
    ];
    for (const a of arrays) {
      const back = decodeNpy(encodeNpy(a), 'x');
      expect(back.data).toEqual(a.data);
      expect(back.shape).toEqual(a.shape);
      expect(back.bool ?? false).toBe(a.bool ?? false);
    }
    expect(() => encodeNpy({ data: new Float32Array(5), shape: [2, 3] })).toThrow(/holds 6 elements, the data has 5/);
  });
});

describe('.npz', () => {
  it('reads np.savez and np.savez_compressed archives in archive order', () => {
    for (const name of ['acts.npz', 'acts-compressed.npz']) {
      const arrays = decodeNpz(bytes(name), name);
      expect(arrays.map((a) => a.name)).toEqual(['h2', 'h1']);
      expect(asNumbers(arrays[1].array)).toEqual(fixtures.files['acts-h1.npy'].values);
    }
  });

  it('writes archives that read back, and refuses what is not one', () => {
    const back = decodeNpz(
      encodeNpz([
        { name: 'b', array: { data: Float32Array.of(1, 2), shape: [2] } },
        { name: 'a', array: { data: Int32Array.of(3), shape: [1] } },
      ]),
      'w.npz',
    );
    expect(back.map((a) => [a.name, asNumbers(a.array)])).toEqual([
      ['b', [1, 2]],
      ['a', [3]],
    ]);
    expect(() => decodeNpz(bytes('f4-c.npy'), 'n.npz')).toThrow(/^n\.npz: not a \.npz file: bad magic/);
    const cut = bytes('acts.npz').subarray(0, 300);
    expect(() => decodeNpz(cut, 'cut.npz')).toThrow(/^cut\.npz: not a readable \.npz \(zip\) archive/);
    expect(() => readArrayFile(join(dir, 'nope.npy'))).toThrow(/nope\.npy: cannot read: no such file/);
    expect(readArrayFile(join(dir, 'acts-h2.npy')).map((a) => a.name)).toEqual(['acts-h2']);
  });

  // An archive of arrays `keep` and `name` whose member `<name>.npy` is then renamed in place (same length).
  const renamed = (name: string, member: string, compress = false) => {
    const zip = encodeNpz(
      [
        { name: 'keep', array: { data: Float32Array.of(1), shape: [1] } },
        { name, array: { data: Float32Array.of(2), shape: [1] } },
      ],
      { compress },
    );
    const text = Buffer.from(zip).toString('latin1').replaceAll(`${name}.npy`, member);
    return new Uint8Array(Buffer.from(text, 'latin1'));
  };

  it('refuses duplicate member names and a member named __proto__, naming the member', () => {
    expect(() => decodeNpz(renamed('dupe', 'keep.npy'), 'd.npz')).toThrow(new InputError('d.npz:keep.npy', 'appears twice in the archive'));
    expect(() => decodeNpz(renamed('xxxxxxxxx', '__proto__.npy'), 'p.npz')).toThrow(new InputError('p.npz:__proto__.npy', 'is not a usable array name'));
    expect(() => decodeNpz(renamed('xxxxx', '__proto__'), 'q.npz')).toThrow(new InputError('q.npz:__proto__', 'is not a usable array name'));
  });

  it('refuses a member whose declared size its compressed bytes cannot reach, before inflating it', () => {
    const zip = renamed('big', 'big.npy', true);
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let at = zip.length - 22; at >= 0; at--) {
      if (view.getUint32(at, true) === 0x02014b50 && String.fromCharCode(...zip.subarray(at + 46, at + 53)) === 'big.npy')
        view.setUint32(at + 24, 0x7fffffff, true);
    }
    expect(() => decodeNpz(zip, 'b.npz')).toThrow(/^b\.npz:big\.npy: declares 2147483647 bytes, more than its \d+ compressed bytes can hold$/);
  });

  it('stops inflating a member once it outgrows its own .npy header, the zip size being honest', () => {
    // A 2×2 float32 header followed by 8 MiB of zeros: deflate packs it ~1000-fold
    // and the zip entry declares the true size, so only the .npy header can tell.
    const header = npyHeader('<f4', [2, 2]);
    const member = new Uint8Array(header.length + 16 + (8 << 20));
    member.set(header);
    const bomb = zipSync({ 'ok.npy': encodeNpy({ data: Float32Array.of(7), shape: [1] }), 'w.npy': member }, { level: 9 });
    expect(bomb.length).toBeLessThan(member.length / 500);
    const declared = header.length + 16;
    let message = '';
    try {
      decodeNpz(bomb, 'bomb.npz');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      message = (err as Error).message;
    }
    expect(message).toMatch(new RegExp(`^bomb\\.npz:w\\.npy: inflates to more than the ${declared} bytes its \\.npy header declares \\(stopped at \\d+\\)$`));
    const stoppedAt = Number(/stopped at (\d+)/.exec(message)![1]);
    expect(stoppedAt).toBeLessThan(declared + 65536); // a small margin, not the 8 MiB
    // The same archive with the member's data as its header declares reads.
    const honest = zipSync({ 'ok.npy': encodeNpy({ data: Float32Array.of(7), shape: [1] }), 'w.npy': member.subarray(0, declared) }, { level: 9 });
    expect(decodeNpz(honest, 'honest.npz').map((a) => [a.name, a.array.shape, asNumbers(a.array)])).toEqual([
      ['ok', [1], [7]],
      ['w', [2, 2], [0, 0, 0, 0]],
    ]);
  });
});
