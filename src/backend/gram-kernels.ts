// The pairwise-product (Gram) kernel behind the KDE estimator's pairwise
// distances: dists_ij = ‖t_i‖² + ‖t_j‖² − 2 t_i·t_j (src/mi/kde.ts), computed
// a block of columns at a time so memory stays O(n · block).

/** Gram products t_i·t_j for i in [0, n) and a block of columns j in [j0, j1): out[i·(j1−j0) + (j − j0)]; t is [n, d] row-major. */
export type GramBlock = (out: Float64Array, t: Float32Array, n: number, d: number, j0: number, j1: number) => void;
