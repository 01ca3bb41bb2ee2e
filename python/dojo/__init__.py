"""Dojo: an MLIR compiler and simulator for a Dojo-D1-like mesh machine.

    import dojo
    prog = dojo.compile(open("examples/mlp_small.mlir").read(), target="small")
    outputs, stats = prog.run(inputs)        # simulator
    expected = prog.reference(inputs)        # reference interpreter
    print(prog.asm())                        # the program as assembly

Inputs are a dict from input symbol name (``arg0``, ``arg1``, ... or the
argument's ``dojo.name``) to NumPy arrays, or a list in argument order.
Outputs are named ``result0``, ``result1``, ...  BF16 tensors are exchanged
as float32 arrays: inputs are rounded to BF16 (nearest even), outputs hold
BF16 values exactly.
"""

from ._dojo import CompileError, CompiledProgram, SimulationError
from . import _dojo

__all__ = [
    "CompileError",
    "CompiledProgram",
    "SimulationError",
    "compile",
    "compile_file",
    "load_program",
    "random_inputs",
    "reference",
    "round_bf16",
]

TARGETS = ("tiny", "small", "d1")


def compile(mlir_text, target="d1", *, source_name="<python>",
            keep_stages=False, pass_options=""):
    """Compiles MLIR text (linalg or dojo on tensors) with dojo-pipeline.

    `target` is a preset (tiny, small, d1) optionally followed by key=value
    overrides, e.g. ``"small sram_bytes=2097152"``. Raises CompileError, whose
    ``diagnostics`` attribute holds the messages with their source locations.
    """
    return _dojo.compile(mlir_text, target, source_name, keep_stages,
                         pass_options)


def compile_file(path, target="d1", **kwargs):
    """Like compile(), reading the MLIR from `path` (named in diagnostics)."""
    with open(path, "r", encoding="utf-8") as f:
        text = f.read()
    kwargs.setdefault("source_name", str(path))
    return compile(text, target, **kwargs)


def reference(graph_ir, inputs):
    """Runs the reference interpreter on graph-level IR text (dojo ops on
    tensors, as returned by CompiledProgram.mlir(), or hand-written).

    `inputs` is a dict by argument name (``arg<i>`` or the argument's
    ``dojo.name``) or a list in argument order; float32 arrays are rounded to
    nearest even for bf16 arguments. Returns ``{"result0": array, ...}``.
    Raises RuntimeError with the located diagnostics on failure.
    """
    return _dojo.run_reference(graph_ir, inputs)


def load_program(path):
    """Reads a program file (binary .dojo or assembly .s) for running."""
    return _dojo.load_program(str(path))


def round_bf16(array):
    """Rounds float32 values to the nearest BF16 value (ties to even), as
    float32 -- what the machine stores for a BF16 tensor."""
    import numpy as np

    a = np.ascontiguousarray(array, dtype=np.float32)
    bits = a.view(np.uint32).astype(np.uint64)
    nan = np.isnan(a)
    lsb = (bits >> 16) & 1
    rounded = ((bits + 0x7FFF + lsb) >> 16) << 16
    out = rounded.astype(np.uint32).view(np.float32).copy()
    # Quiet NaN, sign kept, as num::f32ToBf16 does.
    out[nan] = ((bits[nan] >> 16 | 0x40) << 16).astype(np.uint32).view(
        np.float32)
    return out.reshape(a.shape)


def random_inputs(program, seed=0, low=-1.0, high=1.0):
    """Pseudo-random inputs for every input symbol of `program`, uniform in
    [low, high] and rounded to the symbol's type (float32 arrays for BF16)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    inputs = {}
    for sym in program.symbols():
        if sym["kind"] != "input":
            continue
        x = rng.uniform(low, high, size=sym["shape"]).astype(np.float32)
        if sym["dtype"] == "bf16":
            x = round_bf16(x)
        elif sym["dtype"] in ("i32", "i8"):
            x = np.rint(x).astype(np.int32 if sym["dtype"] == "i32"
                                  else np.int8)
        inputs[sym["name"]] = x
    return inputs
