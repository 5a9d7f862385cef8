#!/usr/bin/env python3
"""
PyTorch fixtures for the 1-D and 3-D windowed pooling ops (test/torch-nd.test.ts).

Why: SEMANTICS.md says the kernels must match PyTorch; the N-d reference (src/reference/nd-pool.ts)
and the fast CPU kernels (src/cpu/nd-pool.ts) are checked against what PyTorch itself computes for
max_pool1d / max_pool3d (return_indices, ceil_mode, dilation, padding) and avg_pool1d / avg_pool3d
(ceil_mode, count_include_pad, divisor_override for 3-D), forward and backward (x.grad via autograd
for a seeded dy), including NaN / -inf / tie inputs and channels_last_3d inputs (which must not
change any result: every value here is stored in logical N, C, ... order).

Inputs are seeded (torch.manual_seed per case) torch.randn values rounded to multiples of 1/128, so
they are exact float32 numbers with short decimal forms and ties occur. Floats are written as the
shortest decimal that rounds back to the same float32; NaN and infinities as the strings "NaN",
"Infinity", "-Infinity". PyTorch's padding is symmetric per axis (padBegin = padEnd = p) and must
satisfy p <= kernel / 2.

Run: python3 scripts/torch-fixtures.py   (writes test/fixtures/torch-nd.json)
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch-nd.json')


def f32(v):
    """A float32 value as JSON: the shortest decimal that rounds back to it, or a string for NaN / inf."""
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
    k = max(1, n // 24)
    flat[pick[:k]] = float('nan')
    flat[pick[k:2 * k]] = float('-inf')
    flat[pick[2 * k:3 * k]] = float('inf')
    flat[pick[3 * k:5 * k]] = 0.5  # ties
    flat[pick[5 * k:6 * k]] = -0.0
    flat[pick[6 * k:7 * k]] = 0.0
    return flat.reshape(x.shape)


def as_list(v, rank):
    return list(v) if isinstance(v, (list, tuple)) else [v] * rank


cases = []


def case(name, op, rank, shape, seed, kernel, stride=None, padding=0, dilation=1, ceil=False,
         include_pad=True, divisor=None, specials=False, channels_last=False, x=None):
    if x is None:
        x = seeded(shape, seed)
        if specials:
            x = with_specials(x, seed)
    x = x.clone()
    xin = x.contiguous(memory_format=torch.channels_last_3d) if channels_last else x.clone()
    xin.requires_grad_(True)
    stride_ = kernel if stride is None else stride
    options = {
        'kernelSize': as_list(kernel, rank),
        'stride': as_list(stride_, rank),
        'padding': as_list(padding, rank),
        'ceilMode': ceil,
    }
    entry = {'name': name, 'op': op, 'rank': rank, 'shape': list(shape), 'channelsLastInTorch': channels_last}
    if op == 'max':
        options['dilation'] = as_list(dilation, rank)
        fn = F.max_pool1d if rank == 1 else F.max_pool3d
        y, idx = fn(xin, kernel, stride_, padding, dilation, ceil_mode=ceil, return_indices=True)
        entry['indices'] = ints(idx)
    else:
        options['countIncludePad'] = include_pad
        if rank == 1:
            y = F.avg_pool1d(xin, kernel, stride_, padding, ceil_mode=ceil, count_include_pad=include_pad)
        else:
            y = F.avg_pool3d(xin, kernel, stride_, padding, ceil_mode=ceil, count_include_pad=include_pad, divisor_override=divisor)
            if divisor is not None:
                options['divisorOverride'] = divisor
    dy = seeded(tuple(y.shape), seed + 7)
    y.backward(dy.contiguous(memory_format=torch.channels_last_3d) if channels_last else dy)
    entry.update({
        'options': options,
        'outputShape': list(y.shape),
        'x': floats(x),
        'output': floats(y),
        'dy': floats(dy),
        'dx': floats(xin.grad),
    })
    cases.append(entry)


# max_pool1d
case('max1d k3 s2 p1', 'max', 1, (2, 3, 16), 1, 3, 2, 1)
case('max1d k4 s3 p2 ceil', 'max', 1, (2, 2, 15), 2, 4, 3, 2, ceil=True)
case('max1d k3 s2 p1 d3', 'max', 1, (2, 2, 20), 3, 3, 2, 1, 3)
case('max1d k2 s3 p1 d4 ceil', 'max', 1, (1, 3, 17), 4, 2, 3, 1, 4, ceil=True)
case('max1d k3 s1 p1 specials', 'max', 1, (2, 3, 24), 5, 3, 1, 1, specials=True)
case('max1d k5 s2 p2 d2 ceil specials', 'max', 1, (2, 2, 30), 6, 5, 2, 2, 2, ceil=True, specials=True)
case('max1d k2 s3 (gaps)', 'max', 1, (1, 2, 14), 7, 2, 3)
case('max1d k2 s1 signed zeros', 'max', 1, (1, 1, 8), 8, 2, 1,
     x=torch.tensor([[[-0.0, 0.0, 0.0, -0.0, -1.0, -0.0, -1.0, 0.0]]]))
case('max1d k3 s1 p1 all -inf windows', 'max', 1, (1, 2, 6), 9, 3, 1, 1,
     x=torch.tensor([[[-math.inf, -math.inf, -math.inf, 1.0, -math.inf, -math.inf],
                      [-math.inf, math.nan, -math.inf, -math.inf, math.nan, -math.inf]]]))
# max_pool3d
case('max3d k2x3x2 s2x2x1 p1x1x0', 'max', 3, (2, 2, 5, 6, 7), 11, (2, 3, 2), (2, 2, 1), (1, 1, 0))
case('max3d k3 s2 p1 ceil', 'max', 3, (1, 3, 6, 5, 7), 12, 3, 2, 1, ceil=True)
case('max3d k2x2x3 s1x2x2 p1 d2x3x2', 'max', 3, (1, 2, 7, 6, 8), 13, (2, 2, 3), (1, 2, 2), 1, (2, 3, 2))
case('max3d k2 s2 p1 d2 ceil', 'max', 3, (2, 1, 6, 7, 5), 14, 2, 2, 1, 2, ceil=True)
case('max3d k3 s1 p1 specials', 'max', 3, (1, 2, 4, 5, 6), 15, 3, 1, 1, specials=True)
case('max3d k2x3x2 s2x2x1 p1x1x0 channels_last_3d', 'max', 3, (1, 3, 5, 6, 7), 16, (2, 3, 2), (2, 2, 1), (1, 1, 0), channels_last=True)
case('max3d k3 s2 p1 d2 ceil channels_last_3d specials', 'max', 3, (1, 4, 7, 6, 5), 17, 3, 2, 1, 2, ceil=True, specials=True, channels_last=True)
# Signed zeros, -inf and NaN only, 9 channels held channels_last_3d (PyTorch's vectorised channels-last kernel and its tail lane).
g_sz = torch.Generator().manual_seed(18)
x_sz = torch.tensor([-0.0, 0.0, -math.inf, math.nan, -0.0, 0.0])[torch.randint(0, 6, (1, 9, 3, 4, 4), generator=g_sz)]
case('max3d k2 s1 p1 signed zeros -inf NaN channels_last_3d', 'max', 3, (1, 9, 3, 4, 4), 18, 2, 1, 1, channels_last=True, x=x_sz)
# avg_pool1d (PyTorch has no divisor_override in 1-D)
case('avg1d k3 s2 p1 include', 'avg', 1, (2, 3, 16), 21, 3, 2, 1)
case('avg1d k3 s2 p1 exclude', 'avg', 1, (2, 3, 16), 22, 3, 2, 1, include_pad=False)
case('avg1d k4 s3 p2 ceil include', 'avg', 1, (2, 2, 15), 23, 4, 3, 2, ceil=True)
case('avg1d k4 s3 p2 ceil exclude', 'avg', 1, (2, 2, 15), 24, 4, 3, 2, ceil=True, include_pad=False)
case('avg1d k3 s3 p1 ceil include (overhang)', 'avg', 1, (1, 2, 11), 25, 3, 3, 1, ceil=True)
case('avg1d k2 s1 p1 infinities', 'avg', 1, (1, 2, 12), 26, 2, 1, 1,
     x=torch.tensor([[[1, float('inf'), 2, 3, float('-inf'), 4, float('inf'), float('-inf'), 0.5, 0.25, 1, 2],
                      [-1, -2, -3, float('-inf'), float('-inf'), 0, 0, 1, 1, 1, 2, 3]]]))
# avg_pool3d
case('avg3d k2x3x2 s2x2x1 p1x1x0 include', 'avg', 3, (2, 2, 5, 6, 7), 31, (2, 3, 2), (2, 2, 1), (1, 1, 0))
case('avg3d k2x3x2 s2x2x1 p1x1x0 exclude', 'avg', 3, (2, 2, 5, 6, 7), 32, (2, 3, 2), (2, 2, 1), (1, 1, 0), include_pad=False)
case('avg3d k3 s2 p1 ceil include', 'avg', 3, (1, 3, 6, 5, 7), 33, 3, 2, 1, ceil=True)
case('avg3d k3 s2 p1 ceil exclude', 'avg', 3, (1, 3, 6, 5, 7), 34, 3, 2, 1, ceil=True, include_pad=False)
case('avg3d k3 s2 p1 ceil divisor 5', 'avg', 3, (1, 2, 6, 5, 7), 35, 3, 2, 1, ceil=True, divisor=5)
case('avg3d k2 s1 p1 divisor 3 exclude', 'avg', 3, (2, 1, 4, 3, 5), 36, 2, 1, 1, include_pad=False, divisor=3)
case('avg3d k2x3x2 s2x2x1 p1x1x0 channels_last_3d', 'avg', 3, (1, 3, 5, 6, 7), 37, (2, 3, 2), (2, 2, 1), (1, 1, 0), channels_last=True)
case('avg3d k3 s2 p1 ceil exclude channels_last_3d', 'avg', 3, (1, 4, 6, 5, 7), 38, 3, 2, 1, ceil=True, include_pad=False, channels_last=True)

doc = {
    'generator': 'scripts/torch-fixtures.py',
    'torch': torch.__version__,
    'note': 'logical N, C, ... order; floats are float32 (shortest decimals), NaN/inf as strings; padding is symmetric per axis',
    'cases': cases,
}
with open(OUT, 'w') as f:
    json.dump(doc, f, separators=(',', ':'), allow_nan=False)
    f.write('\n')
print(f'{len(cases)} cases, {os.path.getsize(OUT)} bytes -> {os.path.relpath(OUT)}')
