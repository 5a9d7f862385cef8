#!/usr/bin/env python3
"""
PyTorch fixtures for LP pooling (test/family-lp-reference.test.ts).

Why: our LP pooling (docs/lp-pooling.md) is y = (sum |x|^p)^(1/p) over the window's real taps.
PyTorch's lp_pool1d/2d/3d is avg_pool(x^p) * k, sign/relu-fixed, then ^(1/p): no absolute value,
no padding argument, and a ceil-mode overhang is rescaled by the full window size. The two agree
where PyTorch defines the same thing: x >= 0 (here x > 0, so that the p < 1 gradient is finite),
no padding, and windows that never overhang. These cases are exactly that: lp_pool1d / lp_pool2d /
lp_pool3d for p in {1, 2, 3, 1.5, 0.5}, with strides smaller than, equal to and larger than the
kernel, and ceil_mode=True only where it adds no window; x.grad via autograd for a seeded dy.

Inputs are seeded torch.rand values in [1/128, 1], multiples of 1/128 (exact float32 numbers with
short decimal forms). Floats are written as the shortest decimal that rounds back to the float32.

Run: python3 scripts/torch-fixtures-lp.py   (writes test/fixtures/torch-lp.json)
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch-lp.json')


def f32(v):
    v = float(v)
    assert math.isfinite(v)
    return float(str(np.float32(v)))


def floats(t):
    return [f32(v) for v in t.detach().contiguous().reshape(-1).tolist()]


def seeded_positive(shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.clamp(torch.round(torch.rand(shape, generator=g) * 128), min=1) / 128


def seeded(shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.round(torch.randn(shape, generator=g) * 128) / 128


def out_size(n, k, s, ceil):
    o = (n - k + (s - 1 if ceil else 0)) // s + 1
    # PyTorch's rule: the last window must start inside the input.
    if ceil and (o - 1) * s >= n:
        o -= 1
    return o


FNS = {1: F.lp_pool1d, 2: F.lp_pool2d, 3: F.lp_pool3d}

# (rank, shape, p, kernel, stride, ceil_mode)
CASES = [
    (1, [2, 3, 12], 2.0, 3, 2, False),
    (1, [1, 4, 11], 1.0, 2, 3, False),
    (1, [2, 2, 9], 3.0, 3, 3, True),
    (1, [1, 3, 10], 0.5, 4, 2, False),
    (2, [2, 3, 7, 8], 2.0, [3, 2], [2, 2], False),
    (2, [1, 2, 9, 6], 1.5, [2, 3], [1, 3], False),
    (2, [1, 4, 6, 6], 3.0, 2, 2, True),
    (2, [2, 1, 8, 5], 1.0, [3, 1], [2, 1], False),
    (3, [1, 2, 5, 6, 4], 2.0, [2, 3, 2], [1, 2, 2], False),
    (3, [1, 3, 4, 4, 6], 0.5, 2, 2, False),
    (3, [2, 1, 6, 5, 5], 3.0, [3, 2, 2], [3, 1, 2], False),
]


def main():
    cases = []
    for i, (rank, shape, p, k, s, ceil) in enumerate(CASES):
        ks = [k] * rank if isinstance(k, int) else k
        ss = [s] * rank if isinstance(s, int) else s
        spatial = shape[2:]
        # No overhang: with ceil_mode, every window must end inside the input.
        outs = [out_size(n, kk, st, ceil) for n, kk, st in zip(spatial, ks, ss)]
        assert all((o - 1) * st + kk <= n for o, n, kk, st in zip(outs, spatial, ks, ss)), f'case {i} overhangs'
        x = seeded_positive(shape, 7700 + i).requires_grad_(True)
        y = FNS[rank](x, p, ks if rank > 1 else ks[0], ss if rank > 1 else ss[0], ceil_mode=ceil)
        assert list(y.shape[2:]) == outs, (y.shape, outs)
        dy = seeded(list(y.shape), 7800 + i)
        y.backward(dy)
        cases.append({
            'name': f'lp_pool{rank}d p={p} k={ks} s={ss}{" ceil" if ceil else ""}',
            'rank': rank,
            'shape': shape,
            'outputShape': list(y.shape),
            'options': {'normType': p, 'kernelSize': ks, 'stride': ss, 'ceilMode': ceil},
            'x': floats(x),
            'output': floats(y),
            'dy': floats(dy),
            'dx': floats(x.grad),
        })
    doc = {
        'generator': 'scripts/torch-fixtures-lp.py',
        'torch': torch.__version__,
        'cases': cases,
    }
    with open(OUT, 'w') as f:
        json.dump(doc, f, separators=(',', ':'), allow_nan=False)
    print(f'wrote {len(cases)} cases to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
