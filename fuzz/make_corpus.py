#!/usr/bin/python3
"""Regenerates the fuzzing seed corpus fuzz/corpus/ (checked in).

    PYTHONPATH=build/python /usr/bin/python3 fuzz/make_corpus.py

Seeds, all small:
  * every hand-written program fuzz/seeds/*.s, as assembly and as binary;
  * compiler output (dojo.compile of small linalg models for the tiny and
    small presets), as assembly and as binary;
  * near-valid variants of those, chosen deterministically: truncated binary
    files (inside the header, the section table, a payload), single bit
    flips in the header, the section table and the payloads, corrupted
    counts, and broken assembly lines.

The output is deterministic for a given compiler. Run it again (and commit
fuzz/corpus/) when the ISA or the file format changes.
"""

import os
import random
import shutil
import struct
import sys

import dojo

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "corpus")

# Small models for the compiled seeds (kept small: the fuzzer mutates them).
MATMUL = """
func.func @mm(%a: tensor<16x32xbf16>, %b: tensor<32x16xbf16>) -> tensor<16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  %r = linalg.matmul ins(%a, %b : tensor<16x32xbf16>, tensor<32x16xbf16>)
                     outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}
"""


def compiled():
    with open(os.path.join(ROOT, "examples", "mlp_small.mlir")) as f:
        mlp = f.read()
    relu = os.path.join(ROOT, "test", "lit", "dojo-run", "Inputs",
                        "relu16x32.mlir")
    out = [("mm16-tiny", dojo.compile(MATMUL, target="tiny")),
           ("mm16-small", dojo.compile(MATMUL, target="small")),
           ("mlp-small-tiny", dojo.compile(mlp, target="tiny"))]
    if os.path.exists(relu):
        out.append(("relu-tiny", dojo.compile_file(relu, target="tiny")))
    return [(name, p.asm(), p.binary()) for name, p in out]


def hand_written():
    out = []
    for name in sorted(os.listdir(os.path.join(HERE, "seeds"))):
        if not name.endswith(".s"):
            continue
        path = os.path.join(HERE, "seeds", name)
        with open(path) as f:
            text = f.read()
        try:
            binary = dojo.load_program(path).binary()
        except Exception:  # an invalid program has no binary form
            binary = None
        out.append((name[:-2], text, binary))
    return out


def binary_variants(name, data, rng):
    """Truncations and bit flips of a binary program file."""
    out = []
    nsec = struct.unpack_from("<I", data, 12)[0]
    table_end = 32 + 24 * nsec
    for cut in (7, 31, 32 + 12, table_end - 1, (table_end + len(data)) // 2,
                len(data) - 1):
        if 0 < cut < len(data):
            out.append(("%s.trunc%d.dojo" % (name, cut), data[:cut]))
    # One flip in each region: header, section table, payload start, payload.
    spots = [8, 12, 24, 32 + rng.randrange(24 * nsec), table_end,
             rng.randrange(table_end, len(data))]
    for i, pos in enumerate(spots):
        if pos >= len(data):
            continue
        b = bytearray(data)
        b[pos] ^= 1 << rng.randrange(8)
        out.append(("%s.flip%d.dojo" % (name, i), bytes(b)))
    # A section-table entry whose offset/size point far away.
    if nsec:
        b = bytearray(data)
        entry = 32 + 24 * rng.randrange(nsec)
        struct.pack_into("<Q", b, entry + 8 + 8 * rng.randrange(2),
                         0xFFFFFFFFFFFFFFF0)
        out.append(("%s.bigsec.dojo" % name, bytes(b)))
    return out


def text_variants(name, text, rng):
    """Broken lines of an assembly program."""
    lines = text.split("\n")
    code = [i for i, l in enumerate(lines)
            if l.strip() and not l.strip().startswith((";", "."))]
    out = []
    if code:
        i = rng.choice(code)
        l = list(lines)
        l[i] = l[i][: max(1, len(l[i]) // 2)]
        out.append(("%s.cutline.s" % name, "\n".join(l)))
        l = list(lines)
        l[i] = l[i].replace("=", "=2147483648", 1)
        out.append(("%s.bigimm.s" % name, "\n".join(l)))
        l = list(lines)
        l[i] = l[i].replace("r", "r32", 1)
        out.append(("%s.badreg.s" % name, "\n".join(l)))
    out.append(("%s.trunc.s" % name, text[: len(text) * 2 // 3]))
    return out


def main():
    rng = random.Random(20240601)
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    files = []
    sources = hand_written() + compiled()
    for name, text, binary in sources:
        files.append((name + ".s", text))
        if binary is not None:
            files.append((name + ".dojo", binary))
    # Variants only of a few sources, to keep the corpus at a few dozen.
    for name, text, binary in sources:
        if binary is not None and name in ("relu-mm", "put-ring", "mm16-tiny",
                                           "disabled-mesh"):
            files += binary_variants(name, binary, rng)
        if name in ("relu-mm", "v2-ops", "spmd"):
            files += text_variants(name, text, rng)
    for fname, content in files:
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(os.path.join(OUT, fname), mode) as f:
            f.write(content)
    print("wrote %d files to %s" % (len(files), OUT))


if __name__ == "__main__":
    sys.exit(main())
