"""Layers and idioms users write, compiled for the simulator and compared
bit for bit with the reference interpreter and, within the documented bf16
bound (test_models_simulator.py), with PyTorch."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import dojo  # noqa: E402

BF16_RTOL = 2e-2


def check(model, *xs, target="small"):
    model = model.eval()
    sim = dojo.compile(model, xs, target=target)
    ref = dojo.compile(model, xs, target=target, backend="reference")
    got = sim(*xs)
    np.testing.assert_array_equal(got, ref(*xs))
    with torch.no_grad():
        want = model(*xs).numpy()
    assert np.abs(got - want).max() <= BF16_RTOL * np.abs(want).max()


class AdaptivePool(nn.Module):
    def __init__(self):
        super().__init__()
        self.p = nn.AdaptiveAvgPool2d((2, 3))

    def forward(self, x):
        return self.p(x)


class ChannelGate(nn.Module):
    # cat along channels, then a per-pixel gate broadcast over channels.
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 3, padding=1)
        self.b = nn.Conv2d(3, 5, 1)

    def forward(self, x):
        y = torch.cat([self.a(x), self.b(x)], dim=1)
        return y * torch.sigmoid(x.mean(dim=1, keepdim=True))


class Relu6Grouped(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(4, 8, 3, stride=2, padding=1, groups=4)
        self.bn = nn.BatchNorm2d(8)
        self.act = nn.ReLU6()

    def forward(self, x):
        return F.hardtanh(self.act(self.bn(self.c(x))), -0.5, 5.0)


class SliceSum(nn.Module):
    def forward(self, x):
        return x[:, 1:3, ::2] + x.sum(dim=(1, 2), keepdim=True)


class BmmSoftmax(nn.Module):
    def forward(self, x, y):
        return torch.bmm(x, y.transpose(1, 2)).softmax(-1)


class Mha(nn.Module):
    def __init__(self):
        super().__init__()
        self.mha = nn.MultiheadAttention(16, 4, batch_first=True)

    def forward(self, x):
        return self.mha(x, x, x, need_weights=False)[0]


class BatchNorm1d(nn.Module):
    # [N, C, L]: the channel axis is in the middle.
    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm1d(6)
        with torch.no_grad():
            self.bn.running_mean.uniform_(-0.5, 0.5)
            self.bn.running_var.uniform_(0.5, 2.0)

    def forward(self, x):
        return self.bn(x)


CASES = {
    "batchnorm1d": (BatchNorm1d, [(3, 6, 11)]),
    "adaptive-avg-pool": (AdaptivePool, [(2, 5, 8, 9)]),
    "channel-gate": (ChannelGate, [(2, 3, 6, 7)]),
    "relu6-hardtanh-grouped": (Relu6Grouped, [(2, 4, 9, 9)]),
    "slice-step-sum": (SliceSum, [(2, 4, 6, 3)]),
    "bmm-transposed-softmax": (BmmSoftmax, [(3, 5, 7), (3, 6, 7)]),
    "multihead-attention": (Mha, [(2, 5, 16)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer(name):
    cls, shapes = CASES[name]
    torch.manual_seed(21)
    check(cls(), *[torch.randn(*s) for s in shapes])


def test_mobilenet_v2_small_input():
    tv = pytest.importorskip("torchvision")
    torch.manual_seed(22)
    check(tv.models.mobilenet_v2(weights=None), torch.randn(1, 3, 64, 64),
          target="d1")
