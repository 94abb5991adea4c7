// The neighbour counts behind the KSG estimator (src/mi/ksg.ts), as every engine
// provides them, with the native addon's signatures
// (native/binding/ksg_binding.cc). Points are row-major float32, [N, d].
// Distances are max-norm: max_f |fl32(a_f − b_f)|, so both engines compare
// the very same float32 numbers and return identical integer counts.

export interface KsgCountEngine {
  readonly name: 'native' | 'reference';
  /**
   * Kraskov et al. 2004, algorithm 1: ε_i = distance from (x_i, y_i) to its k-th nearest
   * neighbour in the joint space (max of the two max-norms);
   * countX[i] = #{j ≠ i : ‖x_j − x_i‖ < ε_i}, countY[i] likewise.
   */
  counts(countX: Int32Array, countY: Int32Array, x: Float32Array, dx: number, y: Float32Array, dy: number, n: number, k: number): void;
  /**
   * Ross 2014: ε_i = distance from x_i to its k-th nearest neighbour among the rows of its own
   * class (k capped at the class size − 1); countX[i] = #{j ≠ i : ‖x_j − x_i‖ < ε_i} over all rows.
   * Every class that occurs must have ≥ 2 rows.
   */
  classCounts(countX: Int32Array, x: Float32Array, dx: number, labels: Int32Array, classes: number, n: number, k: number): void;
}
