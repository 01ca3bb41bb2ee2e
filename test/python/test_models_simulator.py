"""The issue-5 models compiled for d1 in bf16 and run on the simulator,
compared with PyTorch in FP32 on the same inputs.

Tolerance (bf16): every weight, input and intermediate activation is rounded
to bfloat16 (8 significant bits, unit roundoff u = 2^-9 ~ 1.95e-3), while
accumulations run in FP32. One rounding of an output perturbs it by at most
u relative; rounding the operands of a dot product of length K perturbs it
by about u * sqrt(K) * (typical |term|) for independent errors, and the
layers of a network add their perturbations. We bound the error relative to
the output's scale: max |dojo - torch| <= BF16_RTOL * max |torch|, with
BF16_RTOL = 2e-2 (about 10 u): measured 3e-3 to 4e-3 for LeNet and
ResNet-18, 8e-3 for the transformer block (see docs/getting-started.md), so the bound has margin for other
seeds without hiding a real bug (a wrong tap, channel or window gives errors
of the order of the outputs themselves, e.g. 0.3 to 1.0 relative).
The reference backend runs the same compiled graph bit-exactly in the
simulator's numerics (test_frontend_torch.py); this file checks the whole
stack against an independent implementation.
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.nn as nn  # noqa: E402

import dojo  # noqa: E402
from test_frontend_torch import EncoderBlock, LeNet, MLP  # noqa: E402

BF16_RTOL = 2e-2


def bf16_check(model, x, target="d1"):
    model = model.eval()
    cm = dojo.compile(model, (x,), target=target)
    assert cm.backend == "simulator"
    got = cm(x)
    with torch.no_grad():
        want = model(x).numpy()
    err = np.abs(got - want).max()
    scale = np.abs(want).max()
    assert err <= BF16_RTOL * scale, (err, scale)
    return cm


def test_mlp_bf16_simulator_d1():
    torch.manual_seed(11)
    bf16_check(MLP(), torch.randn(8, 256))


def test_lenet_bf16_simulator_d1():
    torch.manual_seed(12)
    cm = bf16_check(LeNet(), torch.randn(4, 1, 28, 28))
    rep = cm.report()
    assert "conv1" in rep and "pool1" in rep
    # Per-layer cycles, utilization and SRAM from the simulator run.
    header = rep.splitlines()[1].split()
    assert header[:5] == ["layer", "MACs", "cycles", "util", "SRAM"]
    conv1 = next(l for l in rep.splitlines() if l.startswith("conv1 "))
    fields = conv1.split()
    assert int(fields[2]) > 0 and fields[3].endswith("%") and int(fields[4]) > 0
    layers = {d["loc"]: d for d in cm.last_stats["layers"]}
    assert layers["conv1"]["macs"] > 0 and layers["pool1"]["macs"] == 0


def test_lenet_bf16_simulator_one_core():
    torch.manual_seed(13)
    bf16_check(LeNet(), torch.randn(1, 1, 28, 28),
               target="tiny rows=1 cols=1")


def test_conv_options_bf16_simulator():
    # Strides, padding, dilation, groups and depthwise, NCHW, with bias,
    # batch norm in eval mode and average pooling.
    class Convs(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(6, 8, 3, stride=2, padding=1)
            self.bn = nn.BatchNorm2d(8)
            self.b = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2)
            self.c = nn.Conv2d(8, 8, 3, padding=1, groups=8)
            self.pool = nn.AvgPool2d(2)
            self.gap = nn.AdaptiveAvgPool2d(1)

        def forward(self, x):
            y = torch.relu(self.bn(self.a(x)))
            y = self.c(self.b(y)) + y
            return self.gap(self.pool(y)).flatten(1)

    torch.manual_seed(14)
    m = Convs()
    with torch.no_grad():
        m.bn.running_mean.uniform_(-0.5, 0.5)
        m.bn.running_var.uniform_(0.5, 2.0)
    bf16_check(m, torch.randn(2, 6, 13, 11), target="small")


def test_resnet18_bf16_simulator_d1():
    tv = pytest.importorskip("torchvision")
    torch.manual_seed(15)
    model = tv.models.resnet18(weights=None)
    bf16_check(model, torch.randn(1, 3, 224, 224))


def test_transformer_block_bf16_simulator_d1():
    # d_model 256, 4 heads, sequence 128: layer norms, attention (batched
    # matmuls with a transposed operand, softmax), GELU (erf form), residual
    # adds.
    torch.manual_seed(16)
    cm = bf16_check(EncoderBlock(256, 4), torch.randn(1, 128, 256))
    assert "softmax" in cm.report()


def test_embedding_bf16_simulator():
    # Embedding (dojo.gather with int64 indices) + Linear on the simulator.
    class Emb(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(50, 24)
            self.fc = nn.Linear(24, 8)

        def forward(self, ids):
            return self.fc(self.emb(ids))

    torch.manual_seed(17)
    m = Emb().eval()
    ids = torch.randint(0, 50, (3, 7))
    cm = dojo.compile(m, (ids,), target="small")
    assert cm.backend == "simulator"
    got = cm(ids)
    with torch.no_grad():
        want = m(ids).numpy()
    assert np.abs(got - want).max() <= BF16_RTOL * np.abs(want).max()


@pytest.mark.parametrize("which", ["lenet", "transformer"])
def test_onnx_export_bf16_simulator_d1(which):
    # The same models through torch.onnx (opset 13: layer norm arrives
    # decomposed, with per-row broadcasts) and the ONNX importer.
    import io
    onnx = pytest.importorskip("onnx")
    torch.manual_seed(18)
    if which == "lenet":
        model, x = LeNet().eval(), torch.randn(2, 1, 28, 28)
    else:
        model, x = EncoderBlock(256, 4).eval(), torch.randn(1, 128, 256)
    f = io.BytesIO()
    torch.onnx.export(model, (x,), f, opset_version=13)
    cm = dojo.compile(onnx.load_from_string(f.getvalue()), (x.numpy(),),
                      target="d1")
    assert cm.backend == "simulator"
    got = cm(x.numpy())
    with torch.no_grad():
        want = model(x).numpy()
    assert np.abs(got - want).max() <= BF16_RTOL * np.abs(want).max()


def test_lenet_fp32_simulator_d1():
    # precision="fp32": convolutions and matmuls on the vector unit; within
    # ONNX's FP32 tolerance of PyTorch.
    torch.manual_seed(19)
    model, x = LeNet().eval(), torch.randn(2, 1, 28, 28)
    cm = dojo.compile(model, (x,), target="d1", precision="fp32")
    assert cm.backend == "simulator"
    got = cm(x)
    with torch.no_grad():
        want = model(x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-5)
