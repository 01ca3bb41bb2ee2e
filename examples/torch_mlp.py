"""A PyTorch MLP compiled for the d1 machine and run on the simulator (BF16).

    PYTHONPATH=build/python /usr/bin/python3 examples/torch_mlp.py
"""
import numpy as np
import torch

import dojo

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(512, 1024), torch.nn.ReLU(),
    torch.nn.Linear(1024, 512)).eval()
x = torch.randn(256, 512)

compiled = dojo.compile(model, (x,), target="d1", precision="bf16")
y = compiled(x)
with torch.no_grad():
    want = model(x).numpy()
print(compiled.report())
print(f"max |sim - torch(fp32)| = {np.abs(y - want).max():.4g} "
      f"(outputs up to {np.abs(want).max():.3g}; BF16 rounding)")
print("graph-level IR:\n" + compiled.mlir())
