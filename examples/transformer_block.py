"""A pre-norm transformer encoder block (d_model 256, 4 heads, sequence
128), attention built from Linear, view/transpose, matmul and softmax, on
the reference interpreter in FP32 and BF16, compared with PyTorch.

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
for precision in ("fp32", "bf16"):
    compiled = dojo.compile(model, (x,), precision=precision,
                            backend="reference")
    y = compiled(x)
    print(f"{precision}: max |dojo - torch| = {np.abs(y - want).max():.3g} "
          f"(outputs up to {np.abs(want).max():.3g})")
print(compiled.report())
