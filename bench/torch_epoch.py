#!/usr/bin/env python3
"""PyTorch speed peer for bench/torch-peer.ts (bench only; the project never uses it).

Trains the same net as bench/epoch.bench.ts (nn.Sequential of Linear + Tanh,
PyTorch default init, Adam 1e-3, batch 128, reshuffled every epoch) on the
same rows, which the TypeScript side writes as raw little-endian binaries:
float32 [rows, features] and int32 [rows]. Prints one JSON object on stdout.

With --prune-global A the net is pruned at init with torch's own
global_unstructured(L1Unstructured, amount=A) over every Linear weight; with
--mi every epoch (and the init) is followed by the IDNNs-style binning
estimator in numpy (Shwartz-Ziv & Tishby's code: np.digitize into 30 equal
bins, rows of bin codes as np.void symbols, np.unique counts) on every layer
over all train + test rows: the seed experiment's per-epoch work. With
--trial-seeds the script runs whole trials (init, prune, E epochs, MI) for
each seed and reports each trial's wall seconds.

Run it in torch's best configuration (TOOLCHAIN.md, "PyTorch as the speed
peer"): the caller removes OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE from this
process's environment and sets OMP_WAIT_POLICY=PASSIVE; here we call both
torch.set_num_threads(T) and OpenBLAS's own openblas_set_num_threads(T) on the
libopenblas torch loaded (torch's call does not reach OpenBLAS).
"""
import argparse
import ctypes
import json
import os
import re
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn.utils import prune


def loaded_openblas():
    """The OpenBLAS shared object mapped into this process (torch links libblas.so.3, which Debian points at OpenBLAS)."""
    with open('/proc/self/maps') as f:
        paths = sorted(set(re.findall(r'(/\S*openblas\S*\.so[\S]*)', f.read())))
    # Prefer libopenblas* itself over Debian's thin libblas.so.3 shim in the same folder (same symbols via its dependency).
    paths.sort(key=lambda p: not os.path.basename(p).startswith('libopenblas'))
    for path in paths:
        lib = ctypes.CDLL(path)  # already loaded: dlopen returns the same handle
        if hasattr(lib, 'openblas_set_num_threads'):
            return path, lib
    return None, None


def configure_threads(threads):
    torch.set_num_threads(threads)
    path, lib = loaded_openblas()
    if lib is None:
        sys.exit('torch_epoch.py: torch is not running on OpenBLAS (no libopenblas in /proc/self/maps); '
                 'install libopenblas0-pthread, or every figure would be the reference BLAS (~45x slower)')
    lib.openblas_set_num_threads(threads)
    lib.openblas_get_config.restype = ctypes.c_char_p
    lib.openblas_get_corename.restype = ctypes.c_char_p
    blas_info = re.search(r'BLAS_INFO=([^,\s]+)', torch.__config__.show())
    return {
        'torch': torch.__version__,
        'numpy': np.__version__,
        'torch_blas_info': blas_info.group(1) if blas_info else None,
        'openblas_library': path,
        'openblas_config': lib.openblas_get_config().decode(),
        'openblas_corename': lib.openblas_get_corename().decode(),
        'openblas_threads': lib.openblas_get_num_threads(),
        'torch_threads': torch.get_num_threads(),
        'env': {k: os.environ.get(k) for k in ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OMP_WAIT_POLICY', 'OMP_NUM_THREADS')},
    }


def load(prefix, rows, features):
    x = np.fromfile(prefix + '.x.f32', dtype='<f4')
    y = np.fromfile(prefix + '.y.i32', dtype='<i4')
    if x.size != rows * features or y.size != rows:
        sys.exit(f'torch_epoch.py: {prefix}: expected {rows}x{features} floats and {rows} labels, got {x.size} and {y.size}')
    return torch.from_numpy(x.reshape(rows, features).copy()), torch.from_numpy(y.astype(np.int64))


def make_net(sizes):
    layers = []
    for i in range(1, len(sizes)):
        layers.append(nn.Linear(sizes[i - 1], sizes[i]))  # PyTorch default init (kaiming_uniform a=sqrt(5))
        if i < len(sizes) - 1:
            layers.append(nn.Tanh())
    return nn.Sequential(*layers)


def pruned_net(args):
    net = make_net(args.sizes)
    if args.prune_global > 0:
        linears = [(m, 'weight') for m in net if isinstance(m, nn.Linear)]
        prune.global_unstructured(linears, pruning_method=prune.L1Unstructured, amount=args.prune_global)
    return net


def entropy_bits(codes):
    """Plug-in entropy of the rows of an integer code matrix (each row one symbol), as IDNNs does it."""
    rows = np.ascontiguousarray(codes).view(np.dtype((np.void, codes.dtype.itemsize * codes.shape[1])))
    _, counts = np.unique(rows, return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log2(p)).sum())


def information_plane(net, x_all, y_all, bins=30):
    """One forward over the MI samples, then (I(X;T), I(T;Y)) of every layer with fixed-width bins."""
    with torch.no_grad():
        h = x_all
        acts = []
        for m in net:
            h = m(h)
            if isinstance(m, nn.Tanh):
                acts.append((h.numpy(), -1.0, 1.0))
        acts.append((torch.softmax(h, 1).numpy(), 0.0, 1.0))
    y = y_all.numpy()
    classes = np.unique(y)
    py = np.array([(y == c).mean() for c in classes])
    points = []
    for a, lo, hi in acts:
        codes = np.digitize(a, np.linspace(lo, hi, bins + 1)[1:-1]).astype(np.int8)
        ht = entropy_bits(codes)
        ht_y = sum(p * entropy_bits(codes[y == c]) for p, c in zip(py, classes))
        points.append((ht, ht - ht_y))
    return points


def time_epochs(args, xtr, ytr, xte, yte):
    torch.manual_seed(args.seed)
    net = pruned_net(args)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x_all, y_all = torch.cat([xtr, xte]), torch.cat([ytr, yte])
    loss_fn = nn.CrossEntropyLoss()
    n = xtr.shape[0]
    train_s, eval_s, mi_s, cpu_s, losses, accs = [], [], [], [], [], []
    if args.mi:
        information_plane(net, x_all, y_all)
    for _ in range(args.warmup + args.epochs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        total, batches = 0.0, 0
        for i in range(0, n, args.batch):
            idx = perm[i:i + args.batch]
            xb, yb = xtr[idx], ytr[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        t1 = time.perf_counter()
        with torch.no_grad():
            logits = net(xte)
            test_loss = loss_fn(logits, yte).item()
            acc = (logits.argmax(1) == yte).float().mean().item()
        t2 = time.perf_counter()
        if args.mi:
            information_plane(net, x_all, y_all)
        mi_s.append(time.perf_counter() - t2)
        cpu_s.append(time.process_time() - c0)
        train_s.append(t1 - t0)
        eval_s.append(t2 - t1)
        losses.append(total / batches)
        accs.append(acc)
    w = args.warmup
    return {
        'train': train_s[w:], 'evaluate': eval_s[w:], 'mi': mi_s[w:], 'warmup_train': train_s[:w],
        'train_median': statistics.median(train_s[w:]), 'evaluate_median': statistics.median(eval_s[w:]),
        'mi_median': statistics.median(mi_s[w:]),
        # CPU seconds of each whole epoch (batches, evaluation, MI): robust to time slicing on a busy machine.
        'epoch_cpu': cpu_s[w:],
        'final_train_loss': losses[-1], 'final_test_acc': accs[-1],
    }


def run_trials(args, xtr, ytr, xte, yte):
    """Whole trials, one per seed: the wall seconds of each (init, prune, epochs with MI)."""
    out = []
    for seed in args.trial_seeds:
        t0 = time.perf_counter()
        a = argparse.Namespace(**{**vars(args), 'seed': seed, 'warmup': 0})
        time_epochs(a, xtr, ytr, xte, yte)
        out.append({'seed': seed, 'seconds': time.perf_counter() - t0})
    return out


def time_gemm(batches, reps):
    """torch's own GEMM on the three products of the 784->1024 layer (as autograd issues them)."""
    g = torch.Generator().manual_seed(0)
    out = []
    for b in batches:
        w = torch.rand(1024, 784, generator=g) - 0.5
        bias = torch.rand(1024, generator=g) - 0.5
        x = torch.rand(b, 784, generator=g)
        dy = torch.rand(b, 1024, generator=g) - 0.5
        products = {
            'linearForward': lambda: torch.nn.functional.linear(x, w, bias),  # addmm: x @ w.T + b
            'linearBackwardInput': lambda: dy.mm(w),                           # dx = dy @ W
            'linearBackwardWeight': lambda: dy.t().mm(x),                      # dW = dy.T @ x
        }
        for name, fn in products.items():
            fn()
            times = []
            for _ in range(reps if b > 1000 else reps * 10):
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
            s = statistics.median(times)
            out.append({'product': name, 'B': b, 'seconds': s, 'gflops': 2 * b * 784 * 1024 / s / 1e9})
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--train', required=True, help='prefix of <prefix>.x.f32 and <prefix>.y.i32')
    p.add_argument('--train-rows', type=int, required=True)
    p.add_argument('--test', required=True)
    p.add_argument('--test-rows', type=int, required=True)
    p.add_argument('--sizes', type=lambda s: [int(v) for v in s.split(',')], default=[784, 1024, 20, 20, 20, 2])
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--epochs', type=int, default=5)
    p.add_argument('--warmup', type=int, default=1)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--gemm', action='store_true', help='also time torch GEMM on the 784->1024 products')
    p.add_argument('--prune-global', type=float, default=0.0, help='global L1 pruning at init over every Linear weight')
    p.add_argument('--mi', action='store_true', help='the binning estimator on every layer after every epoch (and at init)')
    p.add_argument('--trial-seeds', type=lambda s: [int(v) for v in s.split(',')], default=None,
                   help='run whole trials (--epochs epochs each) for these seeds instead of timing epochs')
    args = p.parse_args()

    config = configure_threads(args.threads)
    features = args.sizes[0]
    xtr, ytr = load(args.train, args.train_rows, features)
    xte, yte = load(args.test, args.test_rows, features)
    if args.trial_seeds:
        json.dump({'threads': args.threads, 'config': config, 'trials': run_trials(args, xtr, ytr, xte, yte)}, sys.stdout)
        print()
        return
    result = {'threads': args.threads, 'config': config, 'epochs': time_epochs(args, xtr, ytr, xte, yte)}
    if args.gemm:
        result['gemm'] = time_gemm([128, 8000], 5)
    json.dump(result, sys.stdout)
    print()


if __name__ == '__main__':
    main()
