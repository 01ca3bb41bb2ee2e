"""A LeNet-style CNN compiled for d1 and run on the simulator in BF16, and on
the reference interpreter in FP32, both compared with PyTorch.

    PYTHONPATH=build/python /usr/bin/python3 examples/lenet.py
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import dojo


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


torch.manual_seed(0)
model = LeNet().eval()
x = torch.randn(4, 1, 28, 28)
with torch.no_grad():
    want = model(x).numpy()
sim = dojo.compile(model, (x,), target="d1")
ys = sim(x)
print(f"d1 simulator, bf16: max |dojo - torch| = {np.abs(ys - want).max():.3g} "
      f"(outputs up to {np.abs(want).max():.3g})")
print(sim.report())
compiled = dojo.compile(model, (x,), precision="fp32", backend="reference")
y = compiled(x)
print(f"reference fp32: max |dojo - torch| = {np.abs(y - want).max():.3g}")
print(compiled.report())
