#!/usr/bin/env python3
"""
PyTorch fixtures for max-unpooling and fractional max pooling (test/family-unpool-fractional-torch.test.ts).

Why: docs/unpool-fractional.md promises PyTorch's results bit for bit: max_unpool1d/2d/3d on the
indices of max_pool1d/2d/3d (and on random indices with duplicates, where PyTorch CPU's last write
in plane order wins), with and without output_size; fractional_max_pool2d/3d with explicit
`_random_samples` (so the windows are PyTorch's float32 intervals), returning outputs and indices,
and the autograd dx of both ops for a seeded dy. Inputs are torch.randn rounded to multiples of
1/128 (exact float32 values, ties occur, and the backward sums are exact in any order); some cases
add NaN / -inf / ties. Everything is stored in logical (channel-first) order.

Run: python3 scripts/torch-fixtures-unpool-fractional.py   (writes test/fixtures/torch-unpool-fractional.json)
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch-unpool-fractional.json')


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
    g = torch.Generator().manual_seed(seed + 1000)
    flat = x.reshape(-1).clone()
    n = flat.numel()
    pick = torch.randperm(n, generator=g)
    k = max(1, n // 20)
    flat[pick[:k]] = float('nan')
    flat[pick[k:2 * k]] = float('-inf')
    flat[pick[2 * k:4 * k]] = 0.5
    return flat.reshape(x.shape)


POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
UNPOOL = {1: F.max_unpool1d, 2: F.max_unpool2d, 3: F.max_unpool3d}

unpool_cases = []


def unpool_case(name, rank, shape, seed, kernel, stride=None, padding=0, output_size=None, random_indices=False):
    stride_ = kernel if stride is None else stride
    x0 = seeded(shape, seed)
    if random_indices:
        # Random indices over the default output volume: duplicates with different values.
        g = torch.Generator().manual_seed(seed + 5)
        out_sp = [(n - 1) * stride_ - 2 * padding + kernel for n in shape[2:]] if output_size is None else output_size
        vol = int(np.prod(out_sp))
        idx = torch.randint(0, vol, shape, generator=g)
        x = x0
    else:
        x, idx = POOL[rank](x0, kernel, stride_, padding, return_indices=True)
    x = x.detach().clone().requires_grad_(True)
    y = UNPOOL[rank](x, idx, kernel, stride_, padding, output_size=output_size)
    dy = seeded(tuple(y.shape), seed + 7)
    y.backward(dy)
    options = {'kernelSize': kernel, 'stride': stride_, 'padding': padding}
    if output_size is not None:
        options['outputSize'] = list(output_size)
    unpool_cases.append({
        'name': name, 'rank': rank, 'shape': list(x.shape), 'outputShape': list(y.shape), 'options': options,
        'x': floats(x), 'indices': ints(idx), 'output': floats(y), 'dy': floats(dy), 'dx': floats(x.grad),
    })


unpool_case('1-D k2 s2', 1, (2, 3, 9), 1, 2)
unpool_case('1-D k2 s2 outputSize 9', 1, (2, 3, 9), 2, 2, output_size=[9])
unpool_case('1-D k3 s2 p1', 1, (1, 2, 11), 3, 3, 2, 1)
unpool_case('1-D random indices (duplicates)', 1, (2, 2, 12), 4, 2, random_indices=True)
unpool_case('2-D k2 s2 outputSize 7x8', 2, (2, 3, 7, 8), 5, 2, output_size=[7, 8])
unpool_case('2-D k3 s2 p1 outputSize 9x10', 2, (1, 2, 9, 10), 6, 3, 2, 1, output_size=[9, 10])
unpool_case('2-D k3 s1 (overlapping, repeated indices)', 2, (1, 2, 6, 6), 7, 3, 1)
unpool_case('2-D random indices (duplicates)', 2, (2, 3, 4, 5), 8, 2, random_indices=True)
unpool_case('3-D k2 s2 outputSize 5x6x7', 3, (1, 2, 5, 6, 7), 9, 2, output_size=[5, 6, 7])
unpool_case('3-D k3 s2 p1 outputSize 5x5x6', 3, (1, 2, 5, 5, 6), 10, 3, 2, 1, output_size=[5, 5, 6])
unpool_case('3-D random indices (duplicates)', 3, (1, 2, 3, 3, 4), 11, 2, random_indices=True)

fractional_cases = []


def fractional_case(name, rank, shape, seed, kernel, output_size=None, output_ratio=None, samples=None, specials=False):
    x = seeded(shape, seed)
    if specials:
        x = with_specials(x, seed)
    x = x.clone().requires_grad_(True)
    N, C = shape[0], shape[1]
    if samples is None:
        g = torch.Generator().manual_seed(seed + 3)
        samples = torch.rand((N, C, rank), generator=g, dtype=torch.float32)
    else:
        samples = torch.tensor(samples, dtype=torch.float32).reshape(N, C, rank)
    fn = F.fractional_max_pool2d if rank == 2 else F.fractional_max_pool3d
    y, idx = fn(x, kernel, output_size=output_size, output_ratio=output_ratio, return_indices=True, _random_samples=samples)
    dy = seeded(tuple(y.shape), seed + 7)
    y.backward(dy)
    options = {'kernelSize': kernel}
    if output_size is not None:
        options['outputSize'] = output_size
    if output_ratio is not None:
        options['outputRatio'] = output_ratio
    fractional_cases.append({
        'name': name, 'rank': rank, 'shape': list(shape), 'outputShape': list(y.shape), 'options': options,
        'samples': [float(v) for v in samples.reshape(-1).tolist()],
        'x': floats(x.detach()), 'output': floats(y), 'indices': ints(idx), 'dy': floats(dy), 'dx': floats(x.grad),
    })


BELOW_ONE = float(np.nextafter(np.float32(1), np.float32(0)))
fractional_case('2-D k2 out 5x6', 2, (2, 3, 11, 13), 21, 2, output_size=[5, 6])
fractional_case('2-D k3 out 4x4', 2, (1, 3, 10, 9), 22, 3, output_size=[4, 4])
fractional_case('2-D k2 out 1 along H', 2, (1, 2, 6, 9), 23, 2, output_size=[1, 4])
fractional_case('2-D out + k - 1 == in', 2, (1, 2, 8, 7), 24, [3, 2], output_size=[6, 6])
fractional_case('2-D samples 0 and just below 1', 2, (1, 2, 12, 12), 25, 2, output_size=[5, 7], samples=[0.0, BELOW_ONE, BELOW_ONE, 0.0])
fractional_case('2-D NaN, -inf and ties', 2, (2, 2, 9, 9), 26, 2, output_size=[4, 4], specials=True)
fractional_case('2-D outputRatio 0.5', 2, (1, 2, 10, 13), 27, 2, output_ratio=[0.5, 0.5])
fractional_case('2-D large input (float32 alpha)', 2, (1, 1, 200, 37), 28, 3, output_size=[97, 11])
fractional_case('2-D float32 alpha (11 -> 4, k 1, u 0.7: double arithmetic gives another start)', 2, (1, 1, 11, 11), 29, 1, output_size=[4, 4], samples=[0.7, 0.7])
fractional_case('3-D k2 out 3x4x5', 3, (1, 2, 7, 8, 9), 31, 2, output_size=[3, 4, 5])
fractional_case('3-D k [2,3,2] out 2x2x3', 3, (2, 1, 5, 6, 6), 32, [2, 3, 2], output_size=[2, 2, 3])
fractional_case('3-D samples 0 and just below 1, NaN', 3, (1, 2, 6, 6, 6), 33, 2, output_size=[3, 2, 4], samples=[0.0, BELOW_ONE, 0.5, BELOW_ONE, 0.0, 0.25], specials=True)

with open(OUT, 'w') as f:
    json.dump({'torch': torch.__version__, 'unpool': unpool_cases, 'fractional': fractional_cases}, f, separators=(',', ':'))
print(f'wrote {len(unpool_cases)} unpool and {len(fractional_cases)} fractional cases to {OUT}')
