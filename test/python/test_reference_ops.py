"""Reference-interpreter semantics of the graph-level op set, checked
against independent NumPy implementations that follow the same numerics
contract: FP32 arithmetic on exact input values, a fixed summation order
(ascending index; matmul ascending k; conv ascending (c, kh, kw)) and one
rounding to the result type (BF16 via dojo.round_bf16).

Ops built only from IEEE operations (+, -, *, /, sqrt) must match bit for
bit. Transcendental ops (exp, log, tanh, erf and what uses them) are
compared with a tolerance: the reference evaluates them through
lib/Reference/Math.h, which will switch to the machine's approximations."""

import math

import numpy as np
import pytest

import dojo

F32 = np.float32


def ty(shape, dt):
    return "tensor<" + "".join(f"{d}x" for d in shape) + dt + ">"


def rnd(x, dt):
    x = np.asarray(x, F32)
    return dojo.round_bf16(x) if dt == "bf16" else x


def rand(shape, dt, seed=0, lo=-2.0, hi=2.0):
    rng = np.random.default_rng(seed)
    return rnd(rng.uniform(lo, hi, shape).astype(F32), dt)


def run(body, args, result, inputs):
    """One-op function: `args` is [(name, type)], `body` uses them and
    defines %r of type `result`."""
    params = ", ".join(f"%{n}: {t}" for n, t in args)
    text = f"""func.func @f({params}) -> {result} {{
  {body}
  return %r : {result}
}}"""
    return dojo.reference(text, list(inputs))["result0"]


def exact(got, want):
    np.testing.assert_array_equal(got, np.asarray(want, F32))


def close(got, want, dt):
    # One BF16 ulp (the FP32 values may differ in the last bits and round
    # across a BF16 boundary) or a few FP32 ulps.
    rtol = 2.0**-7 if dt == "bf16" else 4e-6
    np.testing.assert_allclose(got, np.asarray(want, F32), rtol=rtol,
                               atol=1e-6)


def seq_sum(x, axis):
    """FP32 sum along `axis` from +0 in ascending index order."""
    x = np.moveaxis(np.asarray(x, F32), axis, -1)
    acc = np.zeros(x.shape[:-1], F32)
    for i in range(x.shape[-1]):
        acc = acc + x[..., i]
    return acc


# --------------------------------------------------------------------------
# Elementwise
# --------------------------------------------------------------------------

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "max": np.maximum,
    "min": np.minimum,
}


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("dt", ["f32", "bf16"])
def test_binary_broadcasting(op, dt):
    sa, sb, sr = (3, 1, 5), (4, 1), (3, 4, 5)
    a, b = rand(sa, dt, 1), rand(sb, dt, 2)
    got = run(f"%r = dojo.{op} %a, %b : {ty(sa, dt)}, {ty(sb, dt)} -> "
              f"{ty(sr, dt)}", [("a", ty(sa, dt)), ("b", ty(sb, dt))],
              ty(sr, dt), [a, b])
    exact(got, rnd(BINARY[op](a, b), dt))


def test_mul_rounds_once_to_bf16():
    # (1 + 2^-7)^2 = 1 + 2^-6 + 2^-14: exact in FP32, rounds to 1 + 2^-6.
    x = F32([1 + 2**-7])
    got = run("%r = dojo.mul %a, %a : tensor<1xbf16>, tensor<1xbf16> -> "
              "tensor<1xbf16>", [("a", "tensor<1xbf16>")], "tensor<1xbf16>",
              [x])
    exact(got, [1 + 2**-6])


def test_max_min_nan_and_signed_zero():
    a = F32([np.nan, 1.0, -0.0, 0.0, -np.inf])
    b = F32([1.0, np.nan, 0.0, -0.0, 3.0])
    t = "tensor<5xf32>"
    mx = run(f"%r = dojo.max %a, %b : {t}, {t} -> {t}",
             [("a", t), ("b", t)], t, [a, b])
    mn = run(f"%r = dojo.min %a, %b : {t}, {t} -> {t}",
             [("a", t), ("b", t)], t, [a, b])
    assert np.isnan(mx[0]) and np.isnan(mx[1])
    assert np.isnan(mn[0]) and np.isnan(mn[1])
    assert mx[2] == 0 and not np.signbit(mx[2])
    assert mx[3] == 0 and not np.signbit(mx[3])
    assert mn[2] == 0 and np.signbit(mn[2])
    assert mn[3] == 0 and np.signbit(mn[3])
    assert mx[4] == 3 and mn[4] == -np.inf


def test_div_by_zero():
    t = "tensor<3xf32>"
    got = run(f"%r = dojo.div %a, %b : {t}, {t} -> {t}",
              [("a", t), ("b", t)], t, [F32([1, -1, 0]), F32([0, 0, 0])])
    assert got[0] == np.inf and got[1] == -np.inf and np.isnan(got[2])


def gelu_erf(x):
    x = np.asarray(x, F32)
    erf = np.vectorize(lambda v: F32(math.erf(float(v))), otypes=[F32])
    t = F32(1) + erf(x * F32(0.70710678118654752))
    return (F32(0.5) * x) * t


def gelu_tanh(x):
    x = np.asarray(x, F32)
    x3 = (x * x) * x
    u = x + F32(0.044715) * x3
    v = F32(0.79788456080286536) * u
    return (F32(0.5) * x) * (F32(1) + np.tanh(v))


UNARY = {
    "sigmoid": lambda x: F32(1) / (F32(1) + np.exp(-x)),
    "tanh": np.tanh,
    "exp": np.exp,
    "log": np.log,
    "gelu": gelu_erf,
    "gelu approximate tanh": gelu_tanh,
}


@pytest.mark.parametrize("op", sorted(UNARY))
@pytest.mark.parametrize("dt", ["f32", "bf16"])
def test_transcendental_unary(op, dt):
    shape = (3, 7)
    lo = 0.01 if op == "log" else -6.0
    x = rand(shape, dt, 3, lo, 6.0)
    name, _, attr = op.partition(" ")
    got = run(f"%r = dojo.{name} %x {attr} : {ty(shape, dt)}",
              [("x", ty(shape, dt))], ty(shape, dt), [x])
    close(got, rnd(UNARY[op](x), dt), dt)


@pytest.mark.parametrize("dt", ["f32", "bf16"])
def test_sqrt_rsqrt_reciprocal_relu_are_exact(dt):
    shape = (4, 5)
    x = rand(shape, dt, 4, 0.0, 9.0)
    t = ty(shape, dt)
    exact(run(f"%r = dojo.sqrt %x : {t}", [("x", t)], t, [x]),
          rnd(np.sqrt(x), dt))
    exact(run(f"%r = dojo.rsqrt %x : {t}", [("x", t)], t, [x]),
          rnd(F32(1) / np.sqrt(x), dt))
    exact(run(f"%r = dojo.reciprocal %x : {t}", [("x", t)], t, [x]),
          rnd(F32(1) / x, dt))
    y = rand(shape, dt, 5)
    exact(run(f"%r = dojo.relu %x : {t}", [("x", t)], t, [y]),
          np.where(y > 0, y, F32(0)))


def test_unary_special_values():
    t = "tensor<4xf32>"
    x = F32([0.0, -1.0, np.inf, np.nan])
    lg = run(f"%r = dojo.log %x : {t}", [("x", t)], t, [x])
    assert lg[0] == -np.inf and np.isnan(lg[1]) and lg[2] == np.inf
    assert np.isnan(lg[3])
    sq = run(f"%r = dojo.rsqrt %x : {t}", [("x", t)], t, [x])
    assert sq[0] == np.inf and np.isnan(sq[1]) and sq[2] == 0
    sg = run(f"%r = dojo.sigmoid %x : {t}", [("x", t)], t,
             [F32([-np.inf, np.inf, 0, np.nan])])
    assert sg[0] == 0 and sg[1] == 1 and sg[2] == 0.5 and np.isnan(sg[3])


def test_cast():
    x = F32([1 + 2**-8, 1 + 3 * 2**-8, np.nan, 3.4e38, -0.0])
    got = run("%r = dojo.cast %x : tensor<5xf32> -> tensor<5xbf16>",
              [("x", "tensor<5xf32>")], "tensor<5xbf16>", [x])
    assert got[0] == 1 and got[1] == 1 + 2**-6 and np.isnan(got[2])
    assert got[3] == np.inf and got[4] == 0 and np.signbit(got[4])
    back = run("%r = dojo.cast %x : tensor<5xbf16> -> tensor<5xf32>",
               [("x", "tensor<5xbf16>")], "tensor<5xf32>", [got])
    exact(back, got)


# --------------------------------------------------------------------------
# Contractions
# --------------------------------------------------------------------------


def matmul_ref(a, b, dt):
    """Exact products, FP32 sums from +0 in ascending k, one rounding."""
    acc = np.zeros((a.shape[0], b.shape[1]), F32)
    for p in range(a.shape[1]):
        acc = acc + np.outer(a[:, p], b[p, :]).astype(F32)
    return rnd(acc, dt)


@pytest.mark.parametrize("tl,tr", [(False, False), (True, False),
                                   (False, True), (True, True)])
@pytest.mark.parametrize("dt", ["f32", "bf16"])
def test_matmul_transposed_operands(tl, tr, dt):
    m, k, n = 5, 9, 3
    a = rand((k, m) if tl else (m, k), dt, 6)
    b = rand((n, k) if tr else (k, n), dt, 7)
    attrs = [name for name, on in (("transpose_lhs", tl),
                                   ("transpose_rhs", tr)) if on]
    attr = " {" + ", ".join(attrs) + "}" if attrs else ""
    got = run(f"%r = dojo.matmul %a, %b{attr} : {ty(a.shape, dt)}, "
              f"{ty(b.shape, dt)} -> {ty((m, n), 'f32')}",
              [("a", ty(a.shape, dt)), ("b", ty(b.shape, dt))],
              ty((m, n), "f32"), [a, b])
    exact(got, matmul_ref(a.T if tl else a, b.T if tr else b, "f32"))


@pytest.mark.parametrize("ba,bb", [(3, 3), (1, 3), (3, 1)])
def test_batch_matmul_broadcasts_batch_of_one(ba, bb):
    m, k, n, dt = 4, 6, 5, "bf16"
    a = rand((ba, m, k), dt, 8)
    b = rand((bb, n, k), dt, 9)
    got = run(f"%r = dojo.batch_matmul %a, %b {{transpose_rhs}} : "
              f"{ty(a.shape, dt)}, {ty(b.shape, dt)} -> "
              f"{ty((3, m, n), dt)}",
              [("a", ty(a.shape, dt)), ("b", ty(b.shape, dt))],
              ty((3, m, n), dt), [a, b])
    for i in range(3):
        exact(got[i], matmul_ref(a[0 if ba == 1 else i],
                                 b[0 if bb == 1 else i].T, dt))


def conv_ref(x, w, bias, stride, pad, dil, groups, dt):
    """NCHW / OIHW; padding takes part as +0; ascending (kh, kw, c)."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[2]), (pad[1], pad[3])))
    oh = (h + pad[0] + pad[2] - dil[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + pad[1] + pad[3] - dil[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, o, oh, ow), F32)
    per = o // groups
    for oc in range(o):
        c0 = (oc // per) * cg
        acc = np.zeros((n, oh, ow), F32)
        for i in range(kh):
            for j in range(kw):
                for ci in range(cg):
                    win = xp[:, c0 + ci,
                             i * dil[0]:i * dil[0] + stride[0] * (oh - 1) + 1:stride[0],
                             j * dil[1]:j * dil[1] + stride[1] * (ow - 1) + 1:stride[1]]
                    acc = acc + win * w[oc, ci, i, j]
        if bias is not None:
            acc = acc + bias[oc]
        out[:, oc] = acc
    return rnd(out, dt)


CONVS = [
    # (n, c, h, w), (o, kh, kw), stride, pad [t, l, b, r], dilation, groups
    ((2, 3, 7, 6), (4, 3, 3), (1, 1), (0, 0, 0, 0), (1, 1), 1),
    ((1, 4, 9, 9), (6, 3, 2), (2, 1), (1, 0, 2, 1), (1, 2), 2),
    ((1, 5, 6, 7), (5, 3, 3), (1, 2), (1, 1, 1, 1), (1, 1), 5),   # depthwise
    ((1, 3, 8, 8), (6, 3, 3), (2, 2), (1, 1, 0, 0), (2, 2), 3),   # multiplier 2
    ((1, 1, 1, 1), (1, 1, 1), (1, 1), (0, 0, 0, 0), (1, 1), 1),   # size 1
]


@pytest.mark.parametrize("case", range(len(CONVS)))
@pytest.mark.parametrize("layout", ["nchw", "nhwc"])
@pytest.mark.parametrize("dt", ["f32", "bf16"])
def test_conv2d(case, layout, dt):
    xs, (o, kh, kw), stride, pad, dil, groups = CONVS[case]
    x = rand(xs, dt, 10 + case)
    w = rand((o, xs[1] // groups, kh, kw), dt, 20 + case)
    bias = rand((o,), dt, 30 + case)
    want = conv_ref(x, w, bias, stride, pad, dil, groups, dt)
    if layout == "nhwc":
        x, w = x.transpose(0, 2, 3, 1), w.transpose(2, 3, 1, 0)
        want = want.transpose(0, 2, 3, 1)
    attrs = (f"{{strides = array<i64: {stride[0]}, {stride[1]}>, "
             f"padding = array<i64: {', '.join(map(str, pad))}>, "
             f"dilations = array<i64: {dil[0]}, {dil[1]}>, "
             f"groups = {groups}}}")
    got = run(f"%r = dojo.conv2d %x, %w, %b layout {layout} {attrs} : "
              f"{ty(x.shape, dt)}, {ty(w.shape, dt)}, {ty((o,), dt)} -> "
              f"{ty(want.shape, dt)}",
              [("x", ty(x.shape, dt)), ("w", ty(w.shape, dt)),
               ("b", ty((o,), dt))], ty(want.shape, dt),
              [np.ascontiguousarray(x), np.ascontiguousarray(w), bias])
    exact(got, want)


def test_conv2d_accumulation_order_and_single_rounding():
    # One output, c = 2 channels, 1x2 kernel: products in (kh, kw, c) order
    # are 1, 2^24, -2^24, 1 -> ((0 + 1) + 2^24) - 2^24 + 1 = 1 in FP32
    # (2^24 + 1 rounds to 2^24); the (c, kh, kw) order gives 2, exact sums
    # give 2.
    x = F32([1, -(2**24), 2**24, 1]).reshape(1, 2, 1, 2)
    w = np.ones((1, 2, 1, 2), F32)
    got = run("%r = dojo.conv2d %x, %w : tensor<1x2x1x2xf32>, "
              "tensor<1x2x1x2xf32> -> tensor<1x1x1x1xf32>",
              [("x", "tensor<1x2x1x2xf32>"), ("w", "tensor<1x2x1x2xf32>")],
              "tensor<1x1x1x1xf32>", [x, w])
    assert got.item() == 1.0


# --------------------------------------------------------------------------
# Pooling and reductions
# --------------------------------------------------------------------------


def pool_ref(x, k, s, pad, kind, include_pad, dt):
    n, c, h, w = x.shape
    oh = (h + pad[0] + pad[2] - k[0]) // s[0] + 1
    ow = (w + pad[1] + pad[3] - k[1]) // s[1] + 1
    fill = -np.inf if kind == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[2]), (pad[1], pad[3])),
                constant_values=fill)
    mask = np.pad(np.ones((h, w), F32), ((pad[0], pad[2]), (pad[1], pad[3])))
    acc = np.full((n, c, oh, ow), fill, F32)
    cnt = np.zeros((oh, ow), F32)
    for i in range(k[0]):
        for j in range(k[1]):
            sl = (slice(i, i + s[0] * (oh - 1) + 1, s[0]),
                  slice(j, j + s[1] * (ow - 1) + 1, s[1]))
            win = xp[(slice(None), slice(None)) + sl]
            acc = np.maximum(acc, win) if kind == "max" else acc + win
            cnt = cnt + mask[sl]
    if kind == "avg":
        acc = acc / (F32(k[0] * k[1]) if include_pad else cnt)
    return rnd(acc, dt)


POOLS = [
    ((1, 2, 7, 7), (3, 3), (2, 2), (1, 1, 1, 1)),
    ((2, 3, 5, 8), (2, 3), (1, 2), (0, 1, 1, 2)),
    ((1, 1, 1, 1), (1, 1), (1, 1), (0, 0, 0, 0)),
]


@pytest.mark.parametrize("case", range(len(POOLS)))
@pytest.mark.parametrize("kind", ["max", "avg", "avg_include_pad"])
@pytest.mark.parametrize("layout", ["nchw", "nhwc"])
def test_pool2d(case, kind, layout):
    dt = "bf16"
    xs, k, s, pad = POOLS[case]
    x = rand(xs, dt, 40 + case)
    op = "max" if kind == "max" else "avg"
    want = pool_ref(x, k, s, pad, op, kind == "avg_include_pad", dt)
    if layout == "nhwc":
        x, want = x.transpose(0, 2, 3, 1), want.transpose(0, 2, 3, 1)
    flag = ", count_include_pad" if kind == "avg_include_pad" else ""
    attrs = (f"{{kernel = array<i64: {k[0]}, {k[1]}>, strides = array<i64: "
             f"{s[0]}, {s[1]}>, padding = array<i64: "
             f"{', '.join(map(str, pad))}>{flag}}}")
    got = run(f"%r = dojo.{op}_pool2d %x layout {layout} {attrs} : "
              f"{ty(x.shape, dt)} -> {ty(want.shape, dt)}",
              [("x", ty(x.shape, dt))], ty(want.shape, dt),
              [np.ascontiguousarray(x)])
    exact(got, want)


@pytest.mark.parametrize("layout", ["nchw", "nhwc"])
def test_global_pools(layout):
    dt = "f32"
    x = rand((2, 3, 5, 4), dt, 50)
    flat = x.reshape(2, 3, 20)
    avg = (seq_sum(flat, 2) / F32(20)).reshape(2, 3, 1, 1)
    mx = flat.max(axis=2).reshape(2, 3, 1, 1)
    if layout == "nhwc":
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1))
        avg, mx = avg.transpose(0, 2, 3, 1), mx.transpose(0, 2, 3, 1)
    for op, want in (("global_avg_pool2d", avg), ("global_max_pool2d", mx)):
        got = run(f"%r = dojo.{op} %x layout {layout} : {ty(x.shape, dt)} "
                  f"-> {ty(want.shape, dt)}", [("x", ty(x.shape, dt))],
                  ty(want.shape, dt), [x])
        exact(got, want)


@pytest.mark.parametrize("axes", [(0,), (1,), (2,), (0, 2), (0, 1, 2)])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dt", ["f32", "bf16"])
def test_reductions(axes, keepdim, dt):
    shape = (3, 4, 5)
    x = rand(shape, dt, 60)
    kept = [d for d in range(3) if d not in axes]
    # Reduced axes last, in order: row-major order of the reduced indices.
    xr = np.transpose(x, kept + list(axes)).reshape(
        [shape[d] for d in kept] + [-1])
    total = seq_sum(xr, -1)
    rs = [1 if d in axes else shape[d] for d in range(3)] if keepdim else \
        [shape[d] for d in kept]
    want = {"reduce_sum": total,
            "reduce_mean": total / F32(xr.shape[-1]),
            "reduce_max": xr.max(axis=-1)}
    attr = " keepdim" if keepdim else ""
    for op, w in want.items():
        got = run(f"%r = dojo.{op} %x axes [{', '.join(map(str, axes))}]"
                  f"{attr} : {ty(shape, dt)} -> {ty(rs, dt)}",
                  [("x", ty(shape, dt))], ty(rs, dt), [x])
        exact(got, rnd(np.reshape(w, rs), dt))


def test_reduce_sum_is_sequential_fp32():
    # 1 + 2^24 + (-2^24) + 1 summed left to right in FP32 = 1, pairwise = 2.
    x = F32([1, 2**24, -(2**24), 1])
    got = run("%r = dojo.reduce_sum %x axes [0] : tensor<4xf32> -> "
              "tensor<f32>", [("x", "tensor<4xf32>")], "tensor<f32>", [x])
    assert got.item() == 1.0


# --------------------------------------------------------------------------
# Softmax and normalizations
# --------------------------------------------------------------------------


@pytest.mark.parametrize("axis", [0, 1, 2])
@pytest.mark.parametrize("dt", ["f32", "bf16"])
def test_softmax(axis, dt):
    shape = (3, 4, 5)
    x = rand(shape, dt, 70, -8, 8)
    m = x.max(axis=axis, keepdims=True)
    e = np.exp(x - m)
    want = e / np.expand_dims(seq_sum(e, axis), axis)
    got = run(f"%r = dojo.softmax %x axis {axis} : {ty(shape, dt)}",
              [("x", ty(shape, dt))], ty(shape, dt), [x])
    close(got, rnd(want, dt), dt)
    np.testing.assert_allclose(got.sum(axis=axis), 1.0, rtol=2e-2)


def layer_norm_ref(x, axis, g, b, eps, dt):
    rows = x.reshape(int(np.prod(x.shape[:axis])), -1)
    n = F32(rows.shape[1])
    mean = seq_sum(rows, 1) / n
    d = rows - mean[:, None]
    var = seq_sum(d * d, 1) / n
    r = F32(1) / np.sqrt(var + F32(eps))
    y = (rows - mean[:, None]) * r[:, None]
    if g is not None:
        y = y * g.reshape(-1)
    if b is not None:
        y = y + b.reshape(-1)
    return rnd(y.reshape(x.shape), dt)


@pytest.mark.parametrize("axis", [1, 2])
@pytest.mark.parametrize("affine", ["none", "scale", "bias", "both"])
@pytest.mark.parametrize("dt", ["f32", "bf16"])
def test_layer_norm(axis, affine, dt):
    shape = (2, 3, 7)
    x = rand(shape, dt, 80, -3, 5)
    ns = shape[axis:]
    g = rand(ns, dt, 81) if affine in ("scale", "both") else None
    b = rand(ns, dt, 82) if affine in ("bias", "both") else None
    args, inputs, ops = [("x", ty(shape, dt))], [x], ""
    if g is not None:
        args.append(("g", ty(ns, dt)))
        inputs.append(g)
        ops += f" scale %g : {ty(ns, dt)}"
    if b is not None:
        args.append(("b", ty(ns, dt)))
        inputs.append(b)
        ops += f" bias %b : {ty(ns, dt)}"
    got = run(f"%r = dojo.layer_norm %x{ops} axis {axis} "
              f"{{epsilon = 1.0e-3 : f32}} : {ty(shape, dt)}", args,
              ty(shape, dt), inputs)
    exact(got, layer_norm_ref(x, axis, g, b, F32(1e-3), dt))


@pytest.mark.parametrize("axis", [1, 3])
@pytest.mark.parametrize("dt", ["f32", "bf16"])
def test_batch_norm(axis, dt):
    shape = (2, 3, 4, 3)
    x = rand(shape, dt, 90)
    c = shape[axis]
    mean, g, b = rand((c,), dt, 91), rand((c,), dt, 92), rand((c,), dt, 93)
    var = rand((c,), dt, 94, 0.1, 2.0)
    bshape = [1] * 4
    bshape[axis] = c
    br = lambda v: v.reshape(bshape)
    r = F32(1) / np.sqrt(var + F32(1e-5))
    want = (x - br(mean)) * br(r)
    want = want * br(g)
    want = want + br(b)
    pt = ty((c,), dt)
    got = run(f"%r = dojo.batch_norm %x, %m, %v, %g, %b {{axis = {axis}}} : "
              f"{ty(shape, dt)}, {pt}",
              [("x", ty(shape, dt)), ("m", pt), ("v", pt), ("g", pt),
               ("b", pt)], ty(shape, dt), [x, mean, var, g, b])
    exact(got, rnd(want, dt))


# --------------------------------------------------------------------------
# Data movement
# --------------------------------------------------------------------------


def test_transpose_reshape():
    x = rand((2, 3, 4), "bf16", 100)
    got = run("%r = dojo.transpose %x perm [2, 0, 1] : tensor<2x3x4xbf16> "
              "-> tensor<4x2x3xbf16>", [("x", "tensor<2x3x4xbf16>")],
              "tensor<4x2x3xbf16>", [x])
    exact(got, x.transpose(2, 0, 1))
    got = run("%r = dojo.reshape %x : tensor<2x3x4xbf16> -> "
              "tensor<4x6xbf16>", [("x", "tensor<2x3x4xbf16>")],
              "tensor<4x6xbf16>", [x])
    exact(got, x.reshape(4, 6))


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_concat(axis):
    shapes = [[2, 3, 4], [2, 3, 4], [2, 3, 4]]
    for i, s in enumerate(shapes):
        s[axis] = i + 1
    xs = [rand(s, "f32", 110 + i) for i, s in enumerate(shapes)]
    want = np.concatenate(xs, axis=axis)
    types = ", ".join(ty(s, "f32") for s in shapes)
    got = run(f"%r = dojo.concat %a, %b, %c axis {axis} : {types} -> "
              f"{ty(want.shape, 'f32')}",
              [(n, ty(s, "f32")) for n, s in zip("abc", shapes)],
              ty(want.shape, "f32"), xs)
    exact(got, want)


def test_slice():
    x = rand((5, 8, 3), "f32", 120)
    got = run("%r = dojo.slice %x offsets [1, 0, 2] sizes [2, 3, 1] "
              "strides [2, 3, 1] : tensor<5x8x3xf32> -> tensor<2x3x1xf32>",
              [("x", "tensor<5x8x3xf32>")], "tensor<2x3x1xf32>", [x])
    exact(got, x[1:5:2, 0:8:3, 2:3])


def test_pad_rounds_the_value_once():
    x = rand((2, 3), "bf16", 130)
    got = run("%r = dojo.pad %x low [1, 0] high [0, 2] value 1.00390625 : "
              "tensor<2x3xbf16> -> tensor<3x5xbf16>",
              [("x", "tensor<2x3xbf16>")], "tensor<3x5xbf16>", [x])
    # 1 + 2^-8 is a tie between BF16 neighbours: to even, 1.
    exact(got, np.pad(x, ((1, 0), (0, 2)), constant_values=1.0))


@pytest.mark.parametrize("itype", ["i32", "i64"])
def test_gather_clamps_out_of_range_indices(itype):
    table = rand((6, 4), "bf16", 140)
    ids = np.array([[0, 5, 2], [-3, 6, 100]], np.int64)
    got = run(f"%r = dojo.gather %t[%i] : tensor<6x4xbf16>, "
              f"tensor<2x3x{itype}> -> tensor<2x3x4xbf16>",
              [("t", "tensor<6x4xbf16>"), ("i", f"tensor<2x3x{itype}>")],
              "tensor<2x3x4xbf16>", [table, ids])
    exact(got, table[np.clip(ids, 0, 5)])


def test_gather_rejects_float_indices_input():
    with pytest.raises(RuntimeError, match="but the argument is i32"):
        run("%r = dojo.gather %t[%i] : tensor<6x4xf32>, tensor<2xi32> -> "
            "tensor<2x4xf32>", [("t", "tensor<6x4xf32>"),
                                ("i", "tensor<2xi32>")], "tensor<2x4xf32>",
            [rand((6, 4), "f32"), F32([1, 2])])


def test_unsupported_element_type_is_a_located_error():
    text = """func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = dojo.exp %x : tensor<2xf32>
  %1 = dojo.cast %0 : tensor<2xf32> -> tensor<2xf32>
  %2 = dojo.reshape %1 : tensor<2xf32> -> tensor<2x1xf32>
  %3 = dojo.reshape %2 : tensor<2x1xf32> -> tensor<2xf32>
  return %3 : tensor<2xf32>
}"""
    out = dojo.reference(text, [F32([0, 1])])["result0"]
    close(out, np.exp(F32([0, 1])), "f32")


# ---------------------------------------------------------------------------
# Graph-level-only ops: booleans, integers, comparisons, more math
# ---------------------------------------------------------------------------

SPECIAL = np.array([-np.inf, -2.5, -1.5, -0.5, -0.0, 0.0, 0.5, 1.5, 2.5,
                    np.inf, np.nan, 3.0], F32)


@pytest.mark.parametrize("pred,f", [
    ("eq", np.equal), ("ne", np.not_equal), ("lt", np.less),
    ("le", np.less_equal), ("gt", np.greater), ("ge", np.greater_equal)])
def test_compare_float_ieee_and_broadcast(pred, f):
    a = SPECIAL.reshape(3, 4)
    b = np.array([0.0, np.nan, -0.0, 2.5], F32)
    got = run(f"%r = dojo.compare {pred} %a, %b : {ty((3, 4), 'f32')}, "
              f"{ty((4,), 'f32')} -> {ty((3, 4), 'i1')}",
              [("a", ty((3, 4), "f32")), ("b", ty((4,), "f32"))],
              ty((3, 4), "i1"), [a, b])
    np.testing.assert_array_equal(got, f(a, b).astype(np.int32))


def test_compare_int64_and_select_int():
    a = np.array([[-3], [0], [7]], np.int64)
    b = np.array([-3, 1, 7, -8], np.int64)
    text = f"""func.func @f(%a: {ty((3, 1), 'i64')}, %b: {ty((4,), 'i64')})
        -> {ty((3, 4), 'i64')} {{
  %m = dojo.compare ge %a, %b : {ty((3, 1), 'i64')}, {ty((4,), 'i64')} -> {ty((3, 4), 'i1')}
  %r = dojo.select %m, %a, %b : {ty((3, 4), 'i1')}, {ty((3, 1), 'i64')}, {ty((4,), 'i64')} -> {ty((3, 4), 'i64')}
  return %r : {ty((3, 4), 'i64')}
}}"""
    got = dojo.reference(text, [a, b])["result0"]
    np.testing.assert_array_equal(got, np.maximum(a, b))


def test_logical_ops():
    a = np.array([[0, 1, 0, 1]] * 2, np.bool_)
    b = np.array([0, 0, 1, 1], np.bool_)
    for op, f in (("and", np.logical_and), ("or", np.logical_or),
                  ("xor", np.logical_xor)):
        got = run(f"%r = dojo.logical_{op} %a, %b : {ty((2, 4), 'i1')}, "
                  f"{ty((4,), 'i1')} -> {ty((2, 4), 'i1')}",
                  [("a", ty((2, 4), "i1")), ("b", ty((4,), "i1"))],
                  ty((2, 4), "i1"), [a, b])
        np.testing.assert_array_equal(got, f(a, b))
    got = run(f"%r = dojo.logical_not %b : {ty((4,), 'i1')}",
              [("b", ty((4,), "i1"))], ty((4,), "i1"), [b])
    np.testing.assert_array_equal(got, ~b)


def test_convert_rules():
    x = np.array([-300.7, -128.5, -1.9, -0.0, 0.5, 1.9, 127.9, 300.0,
                  np.nan, np.inf, -np.inf, 3e9], F32)
    got = run(f"%r = dojo.convert %x : {ty((12,), 'f32')} -> "
              f"{ty((12,), 'i8')}", [("x", ty((12,), "f32"))],
              ty((12,), "i8"), [x])
    # Truncation toward zero, NaN -> 0, saturation.
    np.testing.assert_array_equal(
        got, [-128, -128, -1, 0, 0, 1, 127, 127, 0, 127, -128, 127])
    got = run(f"%r = dojo.convert %x : {ty((12,), 'f32')} -> "
              f"{ty((12,), 'i1')}", [("x", ty((12,), "f32"))],
              ty((12,), "i1"), [x])
    np.testing.assert_array_equal(got, (x != 0).astype(np.int32))
    i = np.array([-129, 128, 255, -1, 16777217, 1], np.int32)
    got = run(f"%r = dojo.convert %x : {ty((6,), 'i32')} -> "
              f"{ty((6,), 'i8')}", [("x", ty((6,), "i32"))],
              ty((6,), "i8"), [i])
    np.testing.assert_array_equal(got, i.astype(np.int8))   # wraps
    got = run(f"%r = dojo.convert %x : {ty((6,), 'i32')} -> "
              f"{ty((6,), 'f32')}", [("x", ty((6,), "i32"))],
              ty((6,), "f32"), [i])
    np.testing.assert_array_equal(got, i.astype(F32))   # nearest even
    b = np.array([1, 0, 1], np.bool_)
    got = run(f"%r = dojo.convert %x : {ty((3,), 'i1')} -> "
              f"{ty((3,), 'i64')}", [("x", ty((3,), "i1"))],
              ty((3,), "i64"), [b])
    np.testing.assert_array_equal(got, [1, 0, 1])


@pytest.mark.parametrize("kind", ["argmax", "argmin"])
@pytest.mark.parametrize("last", [False, True])
def test_argmax_argmin(kind, last):
    x = np.array([[1.0, 3.0, 3.0, -1.0], [2.0, np.nan, 0.0, np.nan],
                  [-0.0, 0.0, -5.0, -5.0]], F32)
    at = " {select_last_index}" if last else ""
    got = run(f"%r = dojo.{kind} %x axis 1 keepdim{at} : {ty((3, 4), 'f32')}"
              f" -> {ty((3, 1), 'i64')}", [("x", ty((3, 4), "f32"))],
              ty((3, 1), "i64"), [x])
    want = {("argmax", False): [1, 1, 0], ("argmax", True): [2, 3, 1],
            ("argmin", False): [3, 1, 2], ("argmin", True): [3, 3, 3]}
    np.testing.assert_array_equal(got.ravel(), want[(kind, last)])


@pytest.mark.parametrize("op,f", [
    ("floor", np.floor), ("ceil", np.ceil), ("round", np.round),
    ("sign", np.sign)])
def test_exact_rounding_ops(op, f):
    got = run(f"%r = dojo.{op} %x : {ty((12,), 'f32')}",
              [("x", ty((12,), "f32"))], ty((12,), "f32"), [SPECIAL])
    want = f(SPECIAL)
    if op == "sign":   # +-0 stay as they are
        want = np.where(SPECIAL == 0, SPECIAL, want)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


@pytest.mark.parametrize("op", ["sin", "cos", "tan", "atan", "sinh", "cosh",
                                "asinh", "erf"])
def test_transcendental_unary(op):
    x = rand((64,), "f32", seed=3)
    got = run(f"%r = dojo.{op} %x : {ty((64,), 'f32')}",
              [("x", ty((64,), "f32"))], ty((64,), "f32"), [x])
    f = {"erf": np.vectorize(math.erf), "atan": np.arctan,
         "asinh": np.arcsinh}.get(op) or getattr(np, op)
    close(got, f(x.astype(np.float64)), "f32")


def test_pow_fmod_reduce_prod():
    x = rand((3, 4), "f32", seed=4, lo=0.5, hi=2.0)
    y = rand((4,), "f32", seed=5)
    got = run(f"%r = dojo.pow %x, %y : {ty((3, 4), 'f32')}, {ty((4,), 'f32')}"
              f" -> {ty((3, 4), 'f32')}", [("x", ty((3, 4), "f32")),
                                          ("y", ty((4,), "f32"))],
              ty((3, 4), "f32"), [x, y])
    close(got, np.power(x.astype(np.float64), y), "f32")
    a = np.array([5.5, -5.5, 5.5, -5.5], F32)
    b = np.array([2.0, 2.0, -2.0, -2.0], F32)
    got = run(f"%r = dojo.fmod %a, %b : {ty((4,), 'f32')}, {ty((4,), 'f32')}"
              f" -> {ty((4,), 'f32')}", [("a", ty((4,), "f32")),
                                        ("b", ty((4,), "f32"))],
              ty((4,), "f32"), [a, b])
    exact(got, np.fmod(a, b))
    got = run(f"%r = dojo.reduce_prod %x axes [1] : {ty((3, 4), 'f32')} -> "
              f"{ty((3,), 'f32')}", [("x", ty((3, 4), "f32"))],
              ty((3,), "f32"), [x])
    want = np.ones(3, F32)
    for k in range(4):   # FP32 products in ascending index
        want = want * x[:, k]
    exact(got, want)
