// micro: old path (grad + adam + Wt refresh) vs fused, alternated
import { readFileSync } from 'node:fs';
import { requireNativeAddon } from '../src/backend/native/addon.ts';
import { alignedFloat32, paddedStride } from '../src/backend/kernels.ts';
import { benchData } from './epoch.bench.ts';
const k = requireNativeAddon();
const threads = Number(process.argv[2] ?? 1);
k.setThreads(threads);
const IN = 784, OUT = 1024, B = 128, ld = paddedStride(OUT);
const d = benchData();
const x = d.train.x.subarray(0, B * IN);
const ptr = new Int32Array(B + 1), idx = new Int32Array(B * IN), val = alignedFloat32(B * IN, k);
const colPtr = new Int32Array(IN + 1), rowIdx = new Int32Array(B * IN), colVal = alignedFloat32(B * IN, k);
k.sparsifyRows(ptr, idx, val, colPtr, rowIdx, colVal, x, B, IN);
const rnd = (a: Float32Array, s = 0.01) => { for (let i = 0; i < a.length; i++) a[i] = (Math.random() - 0.5) * s; return a; };
const dy = rnd(alignedFloat32(B * ld, k));
const W = rnd(alignedFloat32(OUT * IN, k)), dW = alignedFloat32(OUT * IN, k), m = alignedFloat32(OUT * IN, k), v = alignedFloat32(OUT * IN, k);
const mask = alignedFloat32(OUT * IN, k).map(() => (Math.random() < 0.35 ? 1 : 0));
const Wt = alignedFloat32(IN * ld, k), mt = alignedFloat32(IN * ld, k), vt = alignedFloat32(IN * ld, k), maskT = alignedFloat32(IN * ld, k);
k.transposeStrided(Wt, W, OUT, IN, ld); k.transposeStrided(maskT, mask, OUT, IN, ld);
const touched = new Int32Array(IN).fill(1);
const t = (f: () => void) => { const t0 = performance.now(); f(); return performance.now() - t0; };
const A: number[] = [], F: number[] = [], G: number[] = [], AD: number[] = [], TR: number[] = [];
for (let r = 0; r < Number(process.argv[3] ?? 30); r++) {
  G.push(t(() => k.inputSparseWeightGradient(dW, colPtr, rowIdx, colVal, dy, B, IN, OUT, ld)));
  AD.push(t(() => k.adamStep(W, dW, m, v, mask, OUT * IN, 1e-3, 0.9, 0.999, 1e-8, r + 1)));
  TR.push(t(() => k.transposeStrided(Wt, W, OUT, IN, ld)));
  A.push(G[r] + AD[r] + TR[r]);
  F.push(t(() => k.inputSparseAdamStep(Wt, mt, vt, maskT, touched, colPtr, rowIdx, colVal, dy, B, IN, OUT, ld, ld, 1e-3, 0.9, 0.999, 1e-8, r + 1)));
}
const min = (a: number[]) => Math.min(...a), med = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];
console.log(`threads ${threads} load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
console.log(`old: grad ${min(G).toFixed(2)} adam ${min(AD).toFixed(2)} Wt refresh ${min(TR).toFixed(2)} = ${min(A).toFixed(2)} ms (median ${med(A).toFixed(2)})`);
console.log(`fused: ${min(F).toFixed(2)} ms (median ${med(F).toFixed(2)}); ratio old/fused min ${(min(A) / min(F)).toFixed(2)} median ${(med(A) / med(F)).toFixed(2)}`);
