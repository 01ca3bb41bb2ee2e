"""torchvision ResNet-18 (weights=None, seeded), batch 1, 224x224: compiled
for d1 in BF16 and run on the simulator (convolutions as im2col + matmul,
batch norms, pooling; about 2 s), then on the reference interpreter in FP32,
both compared with PyTorch; then the same model exported to ONNX and
imported from there.

    PYTHONPATH=build/python /usr/bin/python3 examples/resnet18.py
"""
import io
import time

import numpy as np
import torch
import torchvision

import dojo

torch.manual_seed(0)
model = torchvision.models.resnet18(weights=None).eval()
x = torch.randn(1, 3, 224, 224)
with torch.no_grad():
    want = model(x).numpy()

t = time.time()
sim = dojo.compile(model, (x,), target="d1")
ys = sim(x)
print(f"d1 simulator, bf16: {time.time() - t:.1f} s, max |dojo - torch| = "
      f"{np.abs(ys - want).max():.3g} (outputs up to "
      f"{np.abs(want).max():.3g})")
print(sim.report().splitlines()[-1])

t = time.time()
compiled = dojo.compile(model, (x,), precision="fp32", backend="reference")
y = compiled(x)
print(f"torch.fx import + reference run: {time.time() - t:.1f} s, max "
      f"|dojo - torch| = {np.abs(y - want).max():.3g}, allclose(rtol=1e-3): "
      f"{np.allclose(y, want, rtol=1e-3, atol=1e-5)}")

f = io.BytesIO()
torch.onnx.export(model, (x,), f, opset_version=13)
t = time.time()
from_onnx = dojo.compile(f.getvalue() and __import__("onnx").load_from_string(
    f.getvalue()), precision="fp32", backend="reference")
y2 = from_onnx(x)
print(f"ONNX import + reference run: {time.time() - t:.1f} s, max "
      f"|dojo - torch| = {np.abs(y2 - want).max():.3g}")
print("\n".join(compiled.report().splitlines()[:12]) + "\n...")
