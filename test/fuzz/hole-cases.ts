// Directed reproductions of the ways a caller could once crash the addon or
// slip past its checks, each now a clean rejection. Run inside the fuzz's own
// process (addon-fuzz.ts) because, unfixed, they kill it.
type Fn = (...args: unknown[]) => unknown;

const activations = () => Float32Array.of(-0.5, 0.5, 0.1, 0.2, 0.9, -0.9, 0, 0);
const labels = () => Int32Array.of(0, 1, 0, 1);
const detach = (buffer: ArrayBufferLike) => structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
/** miInformationPlane over one 2-unit layer of 4 rows, `layer` built with the labels in hand. */
const plane = (addon: Record<string, Fn>, layer: (y: Int32Array) => object) => {
  const y = labels();
  return addon.miInformationPlane!([layer(y)], y, 4, 2, 'fixed', 30, -1, 1, 0, null, 'normal');
};
const csr = (): unknown[] => [
  new Float32Array(6),
  new Float32Array(8),
  Int32Array.of(0, 2, 2, 5),
  Int32Array.of(0, 3, 1, 2, 3),
  new Float32Array(5),
  null,
  2,
  3,
  4,
];
const shared = (a: Int32Array) => {
  const b = new Int32Array(new SharedArrayBuffer(a.byteLength));
  b.set(a);
  return b;
};

export function holeCases(addon: Record<string, Fn>): Record<string, () => unknown> {
  return {
    'width getter fills labels': () =>
      plane(addon, (y) => ({
        activations: activations(),
        get width() {
          y.fill(0x3fffffff);
          return 2;
        },
      })),
    'width getter detaches labels': () =>
      plane(addon, (y) => ({
        activations: activations(),
        get width() {
          detach(y.buffer);
          return 2;
        },
      })),
    'activations getter detaches its array': () =>
      plane(addon, () => {
        const t = activations();
        return {
          width: 2,
          get activations() {
            detach(t.buffer);
            return t;
          },
        };
      }),
    'csrMatmul idx in a SharedArrayBuffer': () => {
      const args = csr();
      args[3] = shared(args[3] as Int32Array);
      return addon.csrMatmul!(...args);
    },
    'csrMatmul outT over idx': () => {
      const args = csr();
      const idx = new Int32Array(16);
      idx.set(args[3] as Int32Array);
      args[3] = idx.subarray(0, 5);
      args[0] = new Float32Array(idx.buffer, 0, 6);
      return addon.csrMatmul!(...args);
    },
    'miInformationPlane labels in a SharedArrayBuffer': () =>
      addon.miInformationPlane!([{ activations: activations(), width: 2 }], shared(labels()), 4, 2, 'fixed', 30, -1, 1, 0, null, 'normal'),
    'byteOffsetMod64 of a SharedArrayBuffer view': () => addon.byteOffsetMod64!(new Float32Array(new SharedArrayBuffer(64))),
    'linearForward(x, x, …)': () => {
      const x = new Float32Array(16);
      return addon.linearForward!(x, x, new Float32Array(4), new Float32Array(2), 4, 2, 2);
    },
    'adamStep(m, m, m, m, …)': () => {
      const m = new Float32Array(8);
      return addon.adamStep!(m, m, m, m, null, 8, 1e-3, 0.9, 0.999, 1e-8, 1);
    },
    'setVariant with a 100 000-character name': () => addon.setVariant!('v'.repeat(100_000)),
  };
}
