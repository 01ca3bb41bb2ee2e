"""A pre-norm transformer encoder block (d_model 256, 4 heads, sequence
128), attention built from Linear, view/transpose, matmul and softmax:
compiled for d1 and run on the simulator in BF16, and on the reference
interpreter in FP32, compared with PyTorch.

    PYTHONPATH=build/python /usr/bin/python3 examples/transformer_block.py
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import dojo


class EncoderBlock(nn.Module):
    def __init__(self, d_model=256, heads=4, d_ff=1024):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.o = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.ff1 = nn.Linear(d_model, d_ff)
        self.ff2 = nn.Linear(d_ff, d_model)

    def forward(self, x):
        b, s, d = x.size(0), x.size(1), x.size(2)
        h = self.heads
        qkv = self.qkv(self.ln1(x)).view(b, s, 3, h, d // h)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = torch.softmax(q @ k.transpose(-2, -1) / (d // h) ** 0.5, -1)
        z = (att @ v).transpose(1, 2).reshape(b, s, d)
        x = x + self.o(z)
        return x + self.ff2(F.gelu(self.ff1(self.ln2(x))))


torch.manual_seed(0)
model = EncoderBlock().eval()
x = torch.randn(1, 128, 256)
with torch.no_grad():
    want = model(x).numpy()
for precision, backend in (("fp32", "reference"), ("bf16", "simulator")):
    compiled = dojo.compile(model, (x,), target="d1", precision=precision,
                            backend=backend)
    y = compiled(x)
    print(f"{precision} on the {backend}: max |dojo - torch| = "
          f"{np.abs(y - want).max():.3g} (outputs up to "
          f"{np.abs(want).max():.3g})")
print(compiled.report())
