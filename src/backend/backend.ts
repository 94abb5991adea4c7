// One Backend interface: kernel sets, never a training loop. A backend says
// which sets it has (`supports`); callers ask instead of downcasting by name.
import type { DenseKernels, SparseKernels } from './kernels.ts';
import type { MiEngine } from './mi-kernels.ts';

export interface BackendInfo {
  name: string;
  /** e.g. "avx512, 2 threads" */
  detail: string;
}

/**
 * dense: the GEMM, activation, loss and optimizer kernels every backend has;
 * sparse: CSR and input-sparse kernels with the dense kernels' bits;
 * mi-binning: the backend's own binning-MI kernels (else the estimator's default).
 */
export type BackendOp = 'dense' | 'sparse' | 'mi-binning';

export interface Backend {
  readonly name: 'reference' | 'native' | 'gpu';
  info(): BackendInfo;
  supports(op: BackendOp): boolean;
  /** A kernel set for one engine (the gpu backend compiles kernels per engine); sparse ones where supported. */
  kernels(): DenseKernels & Partial<SparseKernels>;
  /** The backend's binning-MI kernels, where supports('mi-binning'). */
  miKernels?(): MiEngine;
}
