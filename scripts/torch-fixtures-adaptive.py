#!/usr/bin/env python3
"""
PyTorch fixtures for adaptive pooling (test/family-adaptive-torch.test.ts).

Why: docs/adaptive-pooling.md says the adaptive ops are PyTorch's AdaptiveAvgPool1d/2d/3d and
AdaptiveMaxPool1d/2d/3d; the reference, the fast CPU kernels and both contexts are checked against
what PyTorch itself computes: forward (values, and indices for max), and backward (x.grad via
autograd for a seeded dy), for outputs smaller than, equal to and larger than the input, sizes that
do not divide, None axes (our null), NaN / ±inf / tie / signed-zero inputs, and inputs PyTorch held
channels_last (which must not change any result: every value is stored in logical N, C, ... order).

Inputs are seeded torch.randn values rounded to multiples of 1/128 (exact float32 numbers with short
decimals, ties occur). Floats are the shortest decimal that rounds back to the same float32; NaN and
infinities are the strings "NaN", "Infinity", "-Infinity".

Run: python3 scripts/torch-fixtures-adaptive.py   (writes test/fixtures/torch-adaptive.json)
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch-adaptive.json')


def f32(v):
    v = float(v)
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return float(str(np.float32(v)))


def floats(t):
    return [f32(v) for v in t.detach().contiguous().reshape(-1).tolist()]


def ints(t):
    return [int(v) for v in t.contiguous().reshape(-1).tolist()]


def seeded(shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.round(torch.randn(shape, generator=g) * 128) / 128


def with_specials(x, seed):
    """Some NaN, -inf, +inf, and runs of equal values (ties, -0 next to +0)."""
    g = torch.Generator().manual_seed(seed + 1000)
    flat = x.reshape(-1).clone()
    n = flat.numel()
    pick = torch.randperm(n, generator=g)
    k = max(1, n // 20)
    flat[pick[:k]] = float('nan')
    flat[pick[k:2 * k]] = float('-inf')
    flat[pick[2 * k:3 * k]] = float('inf')
    flat[pick[3 * k:5 * k]] = 0.5
    flat[pick[5 * k:6 * k]] = -0.0
    flat[pick[6 * k:7 * k]] = 0.0
    return flat.reshape(x.shape)


MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}
AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
CL = {2: torch.channels_last, 3: torch.channels_last_3d}

cases = []


def case(name, op, shape, output_size, seed, specials=False, channels_last=False):
    rank = len(shape) - 2
    x = seeded(shape, seed)
    if specials:
        x = with_specials(x, seed)
    xt = x.clone()
    if channels_last:
        xt = xt.contiguous(memory_format=CL[rank])
    xt.requires_grad_(True)
    size = tuple(output_size) if isinstance(output_size, list) else output_size
    if op == 'max':
        y, idx = MAX[rank](xt, size, return_indices=True)
    else:
        y, idx = AVG[rank](xt, size), None
    g = torch.Generator().manual_seed(seed + 7)
    dy = torch.round(torch.randn(y.shape, generator=g) * 64) / 64
    y.backward(dy)
    cases.append({
        'name': name,
        'op': op,
        'rank': rank,
        'shape': list(shape),
        'outputSize': output_size,
        'outputShape': list(y.shape),
        'channelsLastInTorch': channels_last,
        'x': floats(x),
        'output': floats(y),
        **({'indices': ints(idx)} if idx is not None else {}),
        'dy': floats(dy),
        'dx': floats(xt.grad),
    })


seed = 1
for op in ('max', 'avg'):
    # 1-D: smaller, non-dividing, equal, larger; specials.
    for shape, size in (([2, 3, 10], 4), ([1, 2, 7], 3), ([2, 2, 5], 5), ([1, 3, 3], 7), ([1, 1, 1], 4)):
        case(f'{op}1d {size}', op, shape, size, seed); seed += 1
    case(f'{op}1d specials', op, [2, 3, 17], 5, seed, specials=True); seed += 1
    # 2-D: None axes, non-dividing, larger than the input, channels_last.
    for shape, size in (([2, 3, 7, 9], [3, 4]), ([1, 2, 5, 5], [None, 2]), ([1, 4, 3, 4], [5, 7]), ([2, 2, 6, 6], 1), ([1, 3, 4, 6], [4, None])):
        case(f'{op}2d {size}', op, shape, size, seed); seed += 1
    case(f'{op}2d specials', op, [2, 3, 8, 7], [3, 5], seed, specials=True); seed += 1
    case(f'{op}2d channels_last', op, [2, 8, 7, 5], [4, 3], seed, channels_last=True); seed += 1
    case(f'{op}2d channels_last specials', op, [1, 4, 9, 6], [4, 4], seed, specials=True, channels_last=True); seed += 1
    # 3-D.
    for shape, size in (([1, 2, 5, 6, 7], [2, 3, 4]), ([2, 1, 3, 4, 2], [4, None, 3]), ([1, 3, 4, 4, 4], 1)):
        case(f'{op}3d {size}', op, shape, size, seed); seed += 1
    case(f'{op}3d specials', op, [1, 2, 6, 5, 4], [4, 2, 3], seed, specials=True); seed += 1
    case(f'{op}3d channels_last', op, [1, 4, 5, 4, 6], [3, 3, 4], seed, channels_last=True); seed += 1

with open(OUT, 'w') as f:
    json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
print(f'wrote {len(cases)} cases to {os.path.normpath(OUT)}')
