"""Randomly shaped small models (seeded, so every run is the same), compiled
for the simulator and compared bit for bit with the reference interpreter
running the same graph: convolutions with every option (stride, padding,
dilation, groups, depthwise, bias) followed by batch norm, ReLU and a
pooling, and transformer blocks with odd sizes, on one core up to the d1
mesh. The simulator and the reference share the machine's numerics and the
compiler keeps the reference's operation order, so any difference is a bug.
"""
import random

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import dojo  # noqa: E402

TARGETS = ["tiny rows=1 cols=1", "tiny", "small", "d1"]


def sim_equals_reference(model, x, target, precision="bf16"):
    model = model.eval()
    sim = dojo.compile(model, (x,), target=target, precision=precision)
    ref = dojo.compile(model, (x,), target=target, backend="reference",
                       precision=precision)
    np.testing.assert_array_equal(sim(x), ref(x))


def conv_case(seed):
    rng = random.Random(seed)
    while True:
        c, o = rng.randint(1, 9), rng.randint(1, 12)
        k, s = rng.choice([1, 2, 3, 5]), rng.choice([1, 2, 3])
        p, d = rng.randint(0, k // 2 + 1), rng.choice([1, 1, 2])
        g = rng.choice([1, 1, c])
        if g > 1 and o % g:
            o = g * rng.randint(1, 2)
        h = rng.randint(max(k * d, 3), 17)
        w = rng.randint(max(k * d, 3), 17)
        oh = (h + 2 * p - d * (k - 1) - 1) // s + 1
        ow = (w + 2 * p - d * (k - 1) - 1) // s + 1
        if min(oh, ow) >= 1:
            break
    pool = rng.choice(["max", "avg", "avg-real", "none", "global"])
    if min(oh, ow) < 2:
        pool = "none"
    bias = rng.random() < 0.5

    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(c, o, k, stride=s, padding=p, dilation=d,
                                  groups=g, bias=bias)
            self.bn = nn.BatchNorm2d(o)

        def forward(self, x):
            y = F.relu(self.bn(self.conv(x)))
            if pool == "max":
                y = F.max_pool2d(y, 2, stride=1, padding=1)
            elif pool == "avg":
                y = F.avg_pool2d(y, 2, stride=2)
            elif pool == "avg-real":
                y = F.avg_pool2d(y, 3, stride=2, padding=1,
                                 count_include_pad=False)
            elif pool == "global":
                y = F.adaptive_avg_pool2d(y, 1)
            return torch.flatten(y, 1)

    torch.manual_seed(seed)
    m = M()
    with torch.no_grad():
        m.bn.running_mean.uniform_(-0.5, 0.5)
        m.bn.running_var.uniform_(0.5, 2.0)
    return m, torch.randn(rng.randint(1, 3), c, h, w), rng.choice(TARGETS)


class Block(nn.Module):
    """A transformer block: layer norms (pre or post), fused q/k/v
    projection, attention, output projection and an FFN with activation
    `act`. With `tail`, the result also concatenates the first position and
    averages the last axis (an odd-shaped output)."""

    def __init__(self, b, s, h, dh, act, pre, tail):
        super().__init__()
        self.b, self.s, self.h, self.dh = b, s, h, dh
        self.act, self.pre, self.tail = act, pre, tail
        d = h * dh
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.f1, self.f2 = nn.Linear(d, 2 * d + 1), nn.Linear(2 * d + 1, d)

    def forward(self, x):
        b, s, h, dh = self.b, self.s, self.h, self.dh
        d = h * dh
        y = self.ln1(x) if self.pre else x
        c = self.qkv(y)
        q = c[:, :, :d].view(b, s, h, dh).transpose(1, 2)
        k = c[:, :, d:2 * d].view(b, s, h, dh).transpose(1, 2)
        v = c[:, :, 2 * d:].view(b, s, h, dh).transpose(1, 2)
        att = torch.softmax(q @ k.transpose(-2, -1) * dh ** -0.5, dim=-1)
        z = (att @ v).transpose(1, 2).reshape(b, s, d)
        x = x + self.o(z)
        if not self.pre:
            x = self.ln1(x)
        f = self.f1(self.ln2(x))
        f = {"gelu": F.gelu(f), "gelu-tanh": F.gelu(f, approximate="tanh"),
             "relu": F.relu(f), "sigmoid": torch.sigmoid(f),
             "tanh": torch.tanh(f)}[self.act]
        if self.tail:
            return torch.cat([x + self.f2(f), x[:, :1, :]], dim=1).mean(-1)
        return x + self.f2(f)


def block_case(seed):
    rng = random.Random(seed)
    b, s = rng.randint(1, 3), rng.randint(1, 40)
    h, dh = rng.choice([1, 2, 3, 4]), rng.randint(1, 12)
    act = rng.choice(["gelu", "gelu-tanh", "relu", "sigmoid", "tanh"])
    pre = rng.random() < 0.5
    torch.manual_seed(seed)
    return (Block(b, s, h, dh, act, pre, tail=True),
            torch.randn(b, s, h * dh), rng.choice(TARGETS))


def big_block_case(seed):
    # Large enough for d1's packed placement (the FFN and projection tiles
    # are at least 64 x 32 on 18 x 19 cores), row-chunked softmax and layer
    # norms, and pipelined matmul epilogues.
    rng = random.Random(seed)
    b, s = rng.randint(2, 4), rng.randint(380, 700)
    h, dh = rng.choice([4, 5, 6]), rng.choice([104, 120, 128])
    act = rng.choice(["gelu", "gelu-tanh", "relu", "sigmoid", "tanh"])
    torch.manual_seed(seed)
    return Block(b, s, h, dh, act, pre=True, tail=False), torch.randn(b, s, h * dh)


class Bottleneck(nn.Module):
    """A residual bottleneck in eval mode: 1x1 + batch norm + ReLU, 3x3
    (padding 1) + batch norm + ReLU, 1x1 + batch norm, + the input (or a
    1x1 projection of it), ReLU: the epilogues dojo-tile fuses through the
    convolutions' views (and the 3x3's valid-position slice)."""

    def __init__(self, c, mid, out):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(c, mid, 1), nn.BatchNorm2d(mid)
        self.c2, self.b2 = nn.Conv2d(mid, mid, 3, padding=1), nn.BatchNorm2d(mid)
        self.c3, self.b3 = nn.Conv2d(mid, out, 1), nn.BatchNorm2d(out)
        self.proj = nn.Conv2d(c, out, 1) if c != out else None
        for bn in (self.b1, self.b2, self.b3):
            bn.running_mean.uniform_(-0.5, 0.5)
            bn.running_var.uniform_(0.5, 2.0)

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = F.relu(self.b2(self.c2(y)))
        y = self.b3(self.c3(y))
        return F.relu(y + (self.proj(x) if self.proj is not None else x))


def bottleneck_case(seed):
    rng = random.Random(seed)
    c = rng.choice([4, 8, 12, 16])
    mid = rng.choice([4, 8, 12])
    out = rng.choice([c, c, 8, 20])
    n, h, w = rng.randint(1, 3), rng.randint(5, 14), rng.randint(5, 14)
    torch.manual_seed(seed)
    return (Bottleneck(c, mid, out), torch.randn(n, c, h, w),
            rng.choice(TARGETS))


@pytest.mark.parametrize("seed", range(200, 208))
def test_random_bottleneck(seed):
    sim_equals_reference(*bottleneck_case(seed))


@pytest.mark.parametrize("seed", [5, 7])
def test_random_big_transformer_block_d1_packed(seed):
    model, x = big_block_case(seed)
    model = model.eval()
    sim = dojo.compile(model, (x,), target="d1")
    ref = dojo.compile(model, (x,), target="d1", backend="reference")
    np.testing.assert_array_equal(sim(x), ref(x))
    # auto chose the packed placement: 18 mesh rows x 19 cores.
    assert sim.last_stats["cores_used"] == 342


@pytest.mark.parametrize("seed", range(12))
def test_random_conv_layer(seed):
    sim_equals_reference(*conv_case(seed))


@pytest.mark.parametrize("seed", range(8))
def test_random_transformer_block(seed):
    sim_equals_reference(*block_case(seed))


@pytest.mark.parametrize("seed", range(100, 106))
def test_random_conv_layer_fp32(seed):
    # FP32: convolutions as FP32 matmuls on the vector unit.
    sim_equals_reference(*conv_case(seed), precision="fp32")


@pytest.mark.parametrize("seed", range(100, 104))
def test_random_transformer_block_fp32(seed):
    sim_equals_reference(*block_case(seed), precision="fp32")
