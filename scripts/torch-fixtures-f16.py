#!/usr/bin/env python3
"""
PyTorch float16 fixtures for every windowed and global pooling op (test/torch-f16.test.ts).

Why: the library computes float16 by widening halves to f32, accumulating in f32 and rounding once
(docs/semantics.md). These fixtures hold what PyTorch's own CPU float16 kernels give for the same
seeded half inputs: max_pool1d/2d/3d (return_indices, ceil_mode, dilation, padding), avg_pool1d/2d/3d
(ceil_mode, count_include_pad, divisor_override in 2-D and 3-D), global max (max_poolNd over the
whole plane, return_indices) and global mean (torch.mean over the spatial axes), forward and
backward (x.grad through autograd in float16 for a seeded float16 dy), with inputs PyTorch held
contiguous, channels_last / channels_last_3d, or (1-D) as a strided N, L, C view.

Inputs: seeded torch.randn halves, with injected edge values: 65504 / -65504, values near 2048 and
1 - 2^-11 whose means round across an exponent, subnormal halves, ties, NaN, +-inf, -0; one case
of large values (30000..65504) whose window sums overflow f16 but whose means do not; one of large
dy whose overlapping gradient sums overflow.

Every value is stored as its IEEE half bits (an integer 0..65535) in logical N, C, ... order.

Where PyTorch CPU has no float16 kernel (avg_pool3d forward and backward, see 'f16Unsupported'),
the op is run in float32 on the widened halves and rounded to half once; the case says so in
'torchCompute' ({'forward': 'float16' | 'float32-rounded', 'backward': ...}).

Each case also carries PyTorch's result computed in float32 on the same widened halves (and dy) and
rounded to half once, but only where it differs from the float16 result by more than one half ulp
('f32Differs': {'output' | 'dx': [[flat index, bits], ...]}): that is where PyTorch's float16 kernel
does not accumulate in f32 and round once (it adds in half, rounding at every step).

Averages whose f32 sum is ill-conditioned (65504 and -65504 cancelling next to small values, where the
f32 summation bound n * 2^-24 * sum|x| / divisor exceeds half a half ulp) are listed in 'illConditioned'
as [flat index, exact float64 average rounded to half, bound]: there the half result depends on the
order of the f32 adds, so no two f32 implementations need agree to one ulp.

Run: python3 scripts/torch-fixtures-f16.py   (writes test/fixtures/torch-f16.json)
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch-f16.json')

F16_UNSUPPORTED = []


def bits(t):
    """Half bits of a float16 tensor, logical order."""
    a = t.detach().to(torch.float16).contiguous().reshape(-1).numpy()
    return [int(v) for v in a.view(np.uint16)]


def from_bits(b, shape):
    return torch.from_numpy(np.array(b, dtype=np.uint16).view(np.float16)).reshape(shape).clone()


def ints(t):
    return [int(v) for v in t.contiguous().reshape(-1).tolist()]


def ulp(h):
    """One half ulp at the binade of half value h (finite)."""
    a = abs(float(h))
    return 2.0 ** (max(math.floor(math.log2(max(a, 2.0 ** -14))), -14) - 10)


def differs(h16, h32):
    """[[i, bits32]] where half tensors h16 and h32 (same shape) differ by more than one half ulp."""
    a = h16.detach().contiguous().reshape(-1).float().tolist()
    b = h32.detach().contiguous().reshape(-1).float().tolist()
    b_bits = bits(h32)
    out = []
    for i, (x, y) in enumerate(zip(a, b)):
        if math.isnan(x) or math.isnan(y):
            if math.isnan(x) != math.isnan(y):
                out.append([i, b_bits[i]])
            continue
        if math.isinf(x) or math.isinf(y):
            if x != y:
                out.append([i, b_bits[i]])
            continue
        if abs(x - y) > ulp(y):
            out.append([i, b_bits[i]])
    return out


EDGE = [65504.0, -65504.0, 2047.0, 2048.0, 2046.0, 1.0, 1 - 2 ** -11, 0.99951171875, 2 ** -24, 3 * 2 ** -24, 2 ** -14 - 2 ** -24,
        -(2 ** -24), 2 ** -14, 0.5, 0.5, 0.5, -0.0, 0.0]


def seeded(shape, seed, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=g) * scale).to(torch.float16)


def with_specials(x, seed):
    """NaN, -inf, +inf, edge values (65504, near-2048, subnormals, ties, signed zeros)."""
    g = torch.Generator().manual_seed(seed + 1000)
    flat = x.reshape(-1).clone()
    n = flat.numel()
    pick = torch.randperm(n, generator=g)
    k = max(1, n // 30)
    flat[pick[:k]] = float('nan')
    flat[pick[k:2 * k]] = float('-inf')
    flat[pick[2 * k:3 * k]] = float('inf')
    rest = pick[3 * k:3 * k + 6 * k]
    sel = torch.randint(0, len(EDGE), (len(rest),), generator=g)
    flat[rest] = torch.tensor([EDGE[int(j)] for j in sel], dtype=torch.float16)
    return flat.reshape(x.shape)


def with_edges(x, seed):
    """Edge values only (no NaN / inf), so that averages and gradients stay finite and comparable."""
    g = torch.Generator().manual_seed(seed + 2000)
    flat = x.reshape(-1).clone()
    n = flat.numel()
    pick = torch.randperm(n, generator=g)[: n // 4]
    sel = torch.randint(0, len(EDGE) - 2, (len(pick),), generator=g)  # no 65504 pair at the end excluded: keep them
    flat[pick] = torch.tensor([EDGE[int(j)] for j in sel], dtype=torch.float16)
    return flat.reshape(x.shape)


def as_list(v, rank):
    return list(v) if isinstance(v, (list, tuple)) else [v] * rank


def to_format(t, fmt):
    if fmt == 'channels_last':
        return t.contiguous(memory_format=torch.channels_last)
    if fmt == 'channels_last_3d':
        return t.contiguous(memory_format=torch.channels_last_3d)
    if fmt == 'strided_nlc':  # 1-D: a channels-last (N, L, C) buffer viewed as N, C, L
        return t.transpose(1, 2).contiguous().transpose(1, 2)
    return t.contiguous()


MAXF = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVGF = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def run(op, rank, x, dy_fn, dtype, fmt, kernel, stride, padding, dilation, ceil, include_pad, divisor):
    """Forward (+ indices) and x.grad, computed in `dtype` on the half input; results as half tensors."""
    xin = to_format(x.detach().clone().to(dtype), fmt).detach().requires_grad_(True)
    idx = None
    if op == 'max':
        y, idx = MAXF[rank](xin, kernel, stride, padding, dilation, ceil_mode=ceil, return_indices=True)
    elif op == 'avg':
        kw = {} if rank == 1 else {'divisor_override': divisor}
        y = AVGF[rank](xin, kernel, stride, padding, ceil_mode=ceil, count_include_pad=include_pad, **kw)
    elif op == 'globalMax':
        y, idx = MAXF[rank](xin, list(x.shape[2:]), return_indices=True)
    else:  # globalAvg
        y = xin.mean(dim=tuple(range(2, 2 + rank)), keepdim=True)
    dy = dy_fn(tuple(y.shape))
    y.backward(to_format(dy.to(dtype), fmt))
    return y.to(torch.float16), idx, dy, xin.grad.to(torch.float16)


def ill_conditioned(rank, x, op, geo, y16):
    """
    Averages whose f32 sum is ill-conditioned (cancellation, e.g. 65504 and -65504 with small values
    in one window): where the f32 recursive-summation bound n * 2^-24 * sum|x| / divisor exceeds half
    a half ulp of the result, the result depends on the order of the f32 adds (PyTorch's and ours
    differ). [[flat index, bits of the exact (float64) average rounded to half, bound]] for those.
    """
    fmt, kernel, stride, padding, dilation, ceil, include_pad, divisor = geo
    x64 = x.to(torch.float64)
    if op == 'avg':
        kw = {} if rank == 1 else {'divisor_override': divisor}
        f = lambda t: AVGF[rank](t, kernel, stride, padding, ceil_mode=ceil, count_include_pad=include_pad, **kw)
        n = math.prod(as_list(kernel, rank))
    else:
        f = lambda t: t.mean(dim=tuple(range(2, 2 + rank)), keepdim=True)
        n = math.prod(x.shape[2:])
    exact = f(x64)
    bound = (n * 2.0 ** -24 * f(x64.abs())).reshape(-1).tolist()
    ex = exact.reshape(-1).tolist()
    eb = bits(exact.to(torch.float16))
    out = []
    for i, (e, b) in enumerate(zip(ex, bound)):
        if math.isfinite(e) and math.isfinite(b) and b > ulp(np.float16(e)) / 2:
            out.append([i, eb[i], float(np.float32(b))])
    return out


cases = []


def case(name, op, rank, shape, seed, kernel=None, stride=None, padding=0, dilation=1, ceil=False, include_pad=True,
         divisor=None, fill='randn', fmt='contiguous', x=None, dy_scale=1.0, dy_fill=None):
    if x is None:
        if fill == 'large':  # sums overflow f16, means do not
            g = torch.Generator().manual_seed(seed)
            x = (30000 + torch.rand(shape, generator=g) * 35504).to(torch.float16)
            x.reshape(-1)[:: 5] = 65504.0
        else:
            x = seeded(shape, seed)
            if fill == 'specials':
                x = with_specials(x, seed)
            elif fill == 'edges':
                x = with_edges(x, seed)
    x = x.to(torch.float16)
    stride_ = kernel if stride is None else stride
    if dy_fill is not None:
        dy_fn = lambda s: torch.full(s, dy_fill, dtype=torch.float16)
    else:
        dy_fn = lambda s: seeded(s, seed + 7, dy_scale)
    args = (op, rank, x, dy_fn)
    geo = (fmt, kernel, stride_, padding, dilation, ceil, include_pad, divisor)
    compute = {'forward': 'float16', 'backward': 'float16'}
    try:
        y, idx, dy, dx = run(*args, torch.float16, *geo)
    except RuntimeError as e:
        if 'not implemented' not in str(e):
            raise
        msg = f'{op}_pool{rank}d ({fmt}): {str(e).splitlines()[0]}'
        if msg not in F16_UNSUPPORTED:
            F16_UNSUPPORTED.append(msg)
        compute = {'forward': 'float32-rounded', 'backward': 'float32-rounded'}
        y, idx, dy, dx = run(*args, torch.float32, *geo)
    y32, idx32, _, dx32 = run(*args, torch.float32, *geo)
    if idx is not None:
        assert torch.equal(idx, idx32), name
    entry = {'name': name, 'op': op, 'rank': rank, 'shape': list(shape), 'torchMemoryFormat': fmt, 'torchCompute': compute}
    if op in ('max', 'avg'):
        options = {'kernelSize': as_list(kernel, rank), 'stride': as_list(stride_, rank), 'padding': as_list(padding, rank), 'ceilMode': ceil}
        if op == 'max':
            options['dilation'] = as_list(dilation, rank)
        else:
            options['countIncludePad'] = include_pad
            if divisor is not None:
                options['divisorOverride'] = divisor
        entry['options'] = options
    if idx is not None:
        entry['indices'] = ints(idx)
    diff = {}
    d_out = differs(y, y32)
    d_dx = differs(dx, dx32)
    if d_out:
        diff['output'] = d_out
    if d_dx:
        diff['dx'] = d_dx
    if op in ('avg', 'globalAvg'):
        ill = ill_conditioned(rank, x, op, geo, y)
        if ill:
            entry['illConditioned'] = ill
    entry.update({
        'outputShape': list(y.shape),
        'x': bits(x),
        'output': bits(y),
        'dy': bits(dy),
        'dx': bits(dx),
    })
    if diff:
        entry['f32Differs'] = diff
    cases.append(entry)


CL = {1: 'strided_nlc', 2: 'channels_last', 3: 'channels_last_3d'}

# max_pool1d / 2d / 3d
for fmt in ('contiguous', 'cl'):
    s = 0 if fmt == 'contiguous' else 50
    tag = '' if fmt == 'contiguous' else ' ' + CL[1]
    f1 = 'contiguous' if fmt == 'contiguous' else CL[1]
    f2 = 'contiguous' if fmt == 'contiguous' else CL[2]
    f3 = 'contiguous' if fmt == 'contiguous' else CL[3]
    case('max1d k3 s2 p1' + tag, 'max', 1, (2, 3, 17), 1 + s, 3, 2, 1, fmt=f1)
    case('max1d k4 s3 p2 d2 ceil specials' + tag, 'max', 1, (2, 4, 23), 2 + s, 4, 3, 2, 2, ceil=True, fill='specials', fmt=f1)
    case('max1d k3 s1 p1 edges' + tag, 'max', 1, (1, 3, 20), 3 + s, 3, 1, 1, fill='edges', fmt=f1)
    tag2 = '' if fmt == 'contiguous' else ' ' + CL[2]
    case('max2d k3 s2 p1' + tag2, 'max', 2, (2, 3, 7, 8), 4 + s, 3, 2, 1, fmt=f2)
    case('max2d k2x3 s1x2 p1 d2x1 ceil specials' + tag2, 'max', 2, (1, 5, 6, 9), 5 + s, (2, 3), (1, 2), 1, (2, 1), ceil=True, fill='specials', fmt=f2)
    case('max2d k3 s1 p1 edges (overlap 9)' + tag2, 'max', 2, (1, 2, 6, 6), 6 + s, 3, 1, 1, fill='edges', fmt=f2)
    tag3 = '' if fmt == 'contiguous' else ' ' + CL[3]
    case('max3d k2x3x2 s2x2x1 p1x1x0' + tag3, 'max', 3, (1, 2, 4, 5, 6), 7 + s, (2, 3, 2), (2, 2, 1), (1, 1, 0), fmt=f3)
    case('max3d k3 s2 p1 d2 ceil specials' + tag3, 'max', 3, (1, 3, 5, 6, 5), 8 + s, 3, 2, 1, 2, ceil=True, fill='specials', fmt=f3)
    case('max3d k3 s1 p1 edges (overlap 27)' + tag3, 'max', 3, (1, 2, 4, 4, 4), 9 + s, 3, 1, 1, fill='edges', fmt=f3)

    # avg_pool1d / 2d / 3d
    case('avg1d k3 s2 p1 include' + tag, 'avg', 1, (2, 3, 17), 21 + s, 3, 2, 1, fmt=f1)
    case('avg1d k4 s3 p2 ceil exclude edges' + tag, 'avg', 1, (2, 3, 22), 22 + s, 4, 3, 2, ceil=True, include_pad=False, fill='edges', fmt=f1)
    case('avg1d k3 s1 p1 specials' + tag, 'avg', 1, (1, 3, 20), 23 + s, 3, 1, 1, fill='specials', fmt=f1)
    case('avg1d k3 s1 p1 large (sum overflows)' + tag, 'avg', 1, (1, 2, 16), 24 + s, 3, 1, 1, fill='large', fmt=f1)
    case('avg2d k3 s2 p1 ceil include edges' + tag2, 'avg', 2, (2, 3, 7, 8), 25 + s, 3, 2, 1, ceil=True, fill='edges', fmt=f2)
    case('avg2d k2x3 s1x2 p1 exclude' + tag2, 'avg', 2, (1, 4, 6, 9), 26 + s, (2, 3), (1, 2), 1, include_pad=False, fmt=f2)
    case('avg2d k3 s1 p1 divisor 5 edges' + tag2, 'avg', 2, (1, 3, 6, 6), 27 + s, 3, 1, 1, divisor=5, fill='edges', fmt=f2)
    case('avg2d k3 s2 p1 specials' + tag2, 'avg', 2, (1, 3, 7, 7), 28 + s, 3, 2, 1, fill='specials', fmt=f2)
    case('avg2d k4 s2 p2 large (sum overflows)' + tag2, 'avg', 2, (1, 2, 6, 6), 29 + s, 4, 2, 2, include_pad=False, fill='large', fmt=f2)
    case('avg3d k2x3x2 s2x2x1 p1x1x0 include edges' + tag3, 'avg', 3, (1, 2, 4, 5, 6), 30 + s, (2, 3, 2), (2, 2, 1), (1, 1, 0), fill='edges', fmt=f3)
    case('avg3d k3 s2 p1 ceil exclude' + tag3, 'avg', 3, (1, 3, 5, 6, 5), 31 + s, 3, 2, 1, ceil=True, include_pad=False, fmt=f3)
    case('avg3d k2 s1 p1 divisor 3 exclude' + tag3, 'avg', 3, (1, 2, 3, 4, 5), 32 + s, 2, 1, 1, include_pad=False, divisor=3, fmt=f3)
    case('avg3d k3 s3 large (sum overflows)' + tag3, 'avg', 3, (1, 2, 3, 3, 6), 33 + s, 3, fill='large', fmt=f3)

    # global max (max_poolNd over the plane) and global mean
    for r, shp in ((1, (2, 3, 19)), (2, (2, 3, 5, 6)), (3, (1, 3, 3, 4, 5))):
        fr = 'contiguous' if fmt == 'contiguous' else CL[r]
        tr = '' if fmt == 'contiguous' else ' ' + CL[r]
        case(f'globalMax {r}-D specials' + tr, 'globalMax', r, shp, 40 + r + s, fill='specials', fmt=fr)
        case(f'globalAvg {r}-D edges' + tr, 'globalAvg', r, shp, 44 + r + s, fill='edges', fmt=fr)
        case(f'globalAvg {r}-D large (sum overflows)' + tr, 'globalAvg', r, shp, 47 + r + s, fill='large', fmt=fr)

# Hand-made: rounding across an exponent, 65504, subnormal halves, ties, signed zeros.
H = lambda v: torch.tensor(v, dtype=torch.float16)
case('avg1d k3 s3 means round across an exponent / to 65504', 'avg', 1, (1, 1, 15), 90, 3,
     x=H([[[2047, 2048, 2048, 2047, 2047, 2048, 1 - 2 ** -11, 1, 1, 65504, 65504, 65504, 65504, 65504, 65472]]]))
case('avg1d k2 s2 subnormal halves', 'avg', 1, (1, 1, 10), 91, 2,
     x=H([[[2 ** -24, 2 ** -24, 2 ** -24, 0.0, 3 * 2 ** -24, 0.0, 2 ** -14, 2 ** -24, -(2 ** -24), 0.0]]]))
case('max1d k2 s1 signed zeros, subnormals, ties', 'max', 1, (1, 1, 12), 92, 2, 1,
     x=H([[[-0.0, 0.0, 0.0, -0.0, -1.0, -0.0, 2 ** -24, 2 ** -24, -(2 ** -24), 0.5, 0.5, 0.5]]]))
case('max2d k3 s1 p1 large dy (gradient sums overflow)', 'max', 2, (1, 1, 4, 4), 93, 3, 1, 1,
     x=H([[[[0, 0, 0, 0], [0, 9, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]]]]), dy_fill=30000.0)
case('avg2d k3 s1 p1 large dy (gradient sums overflow)', 'avg', 2, (1, 1, 4, 4), 94, 3, 1, 1, dy_fill=65504.0)

doc = {
    'generator': 'scripts/torch-fixtures-f16.py',
    'torch': torch.__version__,
    'note': ('logical N, C, ... order; every value is IEEE half bits; padding symmetric per axis; '
             "torchCompute says where PyTorch CPU had no float16 kernel and the op ran in float32 on the widened halves, "
             "rounded once; f32Differs lists [index, bits of the f32-computed result rounded once] where that differs "
             "from PyTorch's float16 result by more than one half ulp; illConditioned lists [index, exact average's bits, "
             "f32 summation bound] for averages whose f32 sum cancels"),
    'f16Unsupported': F16_UNSUPPORTED,
    'cases': cases,
}
with open(OUT, 'w') as f:
    json.dump(doc, f, separators=(',', ':'), allow_nan=False)
    f.write('\n')
print(f'{len(cases)} cases, {os.path.getsize(OUT)} bytes -> {os.path.relpath(OUT)}')
print('float16 unsupported on CPU:', *F16_UNSUPPORTED, sep='\n  ')
for c in cases:
    if 'f32Differs' in c:
        print(f"  {c['name']}: f16 vs f32-rounded differ > 1 ulp at", {k: len(v) for k, v in c['f32Differs'].items()})
