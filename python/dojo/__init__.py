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
    "CompiledModel",
    "CompiledProgram",
    "NotLoweredError",
    "SimulationError",
    "compile",
    "compile_file",
    "load_program",
    "random_inputs",
    "reference",
    "round_bf16",
]

TARGETS = ("tiny", "small", "d1")


class NotLoweredError(CompileError, NotImplementedError):
    """The graph uses an op (or a precision) the compiler pipeline cannot
    lower to the ISA yet; `backend="reference"` runs it on the reference
    interpreter instead. `diagnostics` holds the pipeline's message."""


# What dojo-tile / convert-dojo-to-isa lower today (see docs/passes.md).
ISA_OPS = ("matmul, batch_matmul and conv2d with bf16 operands, pooling, "
           "batch_norm, softmax, layer_norm, reductions, elementwise ops "
           "with NumPy broadcasts, transpose, reshape, concat, "
           "slice and pad")


def _clean_diagnostics(text):
    """`<unknown>:0: error: loc("layer1.0.conv1"): msg` (how MLIR prints a
    bare NameLoc) -> `layer1.0.conv1: error: msg`."""
    import re

    return re.sub(r'<unknown>:0: (error|warning|note|remark): '
                  r'loc\("((?:[^"\\]|\\.)*)"\): ', r'\2: \1: ', text)


def _not_lowered(err, precision):
    """Turns a pipeline CompileError about an op without an ISA lowering
    into a NotLoweredError; returns None for other errors."""
    diag = _clean_diagnostics(getattr(err, "diagnostics", "") or str(err))
    markers = ("has no kernel", "not supported yet", "not a row broadcast",
               "not supported by the vector unit",
               "no ISA lowering", "bf16 operands", "only bf16")
    if not any(m in diag for m in markers):
        return None
    msg = diag.rstrip("\n")
    msg += ("\nthe compiler pipeline lowers only " + ISA_OPS + " to the "
            "ISA so far; pass backend=\"reference\" to run this model on "
            "the reference interpreter")
    e = NotLoweredError(msg)
    e.diagnostics = diag
    return e


def _compile_text(mlir_text, target="d1", *, source_name="<python>",
                  keep_stages=False, pass_options="", graph_only=False):
    return _dojo.compile(mlir_text, target, source_name, keep_stages,
                         pass_options, graph_only)


def compile(model, example_inputs=None, target="d1", precision="bf16",
            backend="simulator", *, source_name=None, keep_stages=False,
            pass_options=""):
    """Compiles a model for a target and returns a CompiledModel.

    `model` is a torch ``nn.Module`` (traced with torch.fx on
    `example_inputs`), an ONNX file path or ``onnx.ModelProto``, or MLIR
    text (linalg/tosa/dojo on tensors; `example_inputs` unused -- for
    compatibility ``compile(text, "small")`` takes the second argument as
    the target).

    `precision`: ``"bf16"`` (default) imports every float parameter, input
    and intermediate tensor as BF16 (inputs and parameters are rounded to
    nearest even when passed in; each op computes in FP32 and rounds once
    to BF16, matmuls accumulate in FP32); ``"fp32"`` keeps FP32 (matmuls
    and convolutions then run on the vector unit, 16 FP32 lanes, instead of
    the BF16 matrix unit: exact, but much slower in cycles). MLIR text keeps
    its own types.

    `backend`: ``"simulator"`` runs the ISA program on the simulator; the
    whole pipeline must lower the graph, else NotLoweredError names the op.
    ``"reference"`` stops at the graph level and runs the reference
    interpreter (every dojo op). `target` is a preset (tiny, small, d1)
    with optional key=value overrides. Errors raise CompileError (with
    `diagnostics`, located by layer or ONNX node name).
    """
    if isinstance(example_inputs, str) and isinstance(model, str):
        target, example_inputs = example_inputs, None
    if precision not in ("bf16", "fp32"):
        raise ValueError("precision must be 'bf16' or 'fp32'")
    if backend not in ("simulator", "reference"):
        raise ValueError("backend must be 'simulator' or 'reference'")
    from .frontend import import_model

    imported, kind = import_model(model, example_inputs,
                                  "bf16" if precision == "bf16" else "f32")
    name = source_name or {"torch": type(model).__name__,
                           "mlir": "<python>"}.get(kind, str(kind))
    if kind == "onnx" and not source_name:
        name = getattr(model, "graph", None) and model.graph.name or \
            str(model)
    try:
        prog = _compile_text(imported.text, target, source_name=name,
                             keep_stages=keep_stages,
                             pass_options=pass_options,
                             graph_only=backend == "reference")
    except CompileError as e:
        nl = _not_lowered(e, precision)
        if nl is not None:
            raise nl from None
        if kind == "mlir":
            raise
        diag = _clean_diagnostics(getattr(e, "diagnostics", "") or str(e))
        err = CompileError(diag.rstrip("\n"))
        err.diagnostics = diag
        raise err from None
    return CompiledModel(prog, imported, backend=backend, target=target,
                         precision=precision, kind=kind)


class CompiledModel:
    """A compiled model: call it on arrays (NumPy or torch tensors, in the
    model's input order, or by input name) to run it; returns one array or
    a tuple of arrays. Parameters are bound automatically.

    ``.mlir(stage)``: IR at a stage (None: graph level; "import": what the
    importer produced; a pass name such as "dojo-tile" for the IR after it);
    ``.asm()``, ``.save(path)``: the program; ``.report()``: per-layer
    work and the last simulator run's cycles, utilization and SRAM.
    Anything else (``run``, ``reference``, ``symbols``...) is the
    underlying CompiledProgram's.
    """

    def __init__(self, program, imported, backend, target, precision, kind):
        self._program = program
        self.imported = imported
        self.backend = backend
        self.target = target
        self.precision = precision
        self.kind = kind
        self.last_stats = None

    def __getattr__(self, name):
        return getattr(self._program, name)

    @property
    def program(self):
        return self._program

    def input_names(self):
        """The model's inputs in call order (parameters excluded)."""
        if self.imported.input_names is None:
            return self._program.input_names()
        return list(self.imported.input_names)

    @property
    def params(self):
        return self.imported.params

    def _bind(self, args, kwargs):
        import numpy as np

        def host(x):
            if hasattr(x, "detach"):
                x = x.detach().cpu()
                if str(x.dtype) in ("torch.bfloat16", "torch.float16"):
                    x = x.float()
                x = x.numpy()
            return np.asarray(x)

        names = self.imported.input_names
        if names is None:   # MLIR text: by position or by symbol name
            if kwargs:
                return {k: host(v) for k, v in kwargs.items()}
            if len(args) == 1 and isinstance(args[0], dict):
                return {k: host(v) for k, v in args[0].items()}
            if len(args) == 1 and isinstance(args[0], (list, tuple)):
                args = tuple(args[0])
            if self.backend == "reference":
                return [host(a) for a in args]
            ins = self._program.input_names()
            if len(args) != len(ins):
                raise ValueError(f"expected {len(ins)} inputs, got "
                                 f"{len(args)}")
            return dict(zip(ins, (host(a) for a in args)))
        if len(args) == 1 and isinstance(args[0], dict) and not kwargs:
            kwargs, args = dict(args[0]), ()
        if len(args) > len(names):
            raise ValueError(f"the model takes {len(names)} inputs "
                             f"({', '.join(names)}), got {len(args)}")
        bound = dict(zip(names, args))
        for k, v in kwargs.items():
            if k not in names:
                raise KeyError(f"the model has no input named '{k}'")
            bound[k] = v
        missing = [n for n in names if n not in bound]
        if missing:
            raise ValueError("missing inputs: " + ", ".join(missing))
        out = {}
        for n in names:
            x = host(bound[n])
            shape, et = self.imported.input_types[n]
            if tuple(x.shape) != tuple(shape):
                raise ValueError(f"input '{n}' has shape {tuple(x.shape)}, "
                                 f"expected {tuple(shape)}")
            if et in ("i1", "i8", "i16", "i32", "i64"):
                # Integers cross to the interpreter as int32.
                if x.dtype.kind in "iu" and x.size and (
                        x.min() < -2**31 or x.max() >= 2**31):
                    raise ValueError(f"input '{n}': integer values must "
                                     "fit in int32")
                x = x.astype(np.int32)
            else:
                x = x.astype(np.float32)
            out[n] = x
        out.update(self.imported.params)
        return out

    def run_all(self, *args, **kwargs):
        """Runs the model; returns {"result0": array, ...}."""
        inputs = self._bind(args, kwargs)
        if self.backend == "reference":
            outs = reference(self._program.mlir(), inputs)
            # Integer and boolean results come back as int32: give them the
            # model's element type (bool for i1, int64 for i64, ...).
            from .frontend.builder import INT_TYPES
            types = getattr(self.imported, "output_types", None) or []
            for i, et in enumerate(types):
                k = f"result{i}"
                if et in INT_TYPES and k in outs:
                    outs[k] = outs[k].astype(INT_TYPES[et])
            return outs
        outputs, stats = self._program.run(inputs)
        self.last_stats = stats
        return outputs

    def __call__(self, *args, **kwargs):
        outs = self.run_all(*args, **kwargs)
        vals = [outs[k] for k in sorted(outs, key=lambda k: int(k[6:]))]
        return vals[0] if len(vals) == 1 else tuple(vals)

    def mlir(self, stage=None):
        if stage in (None, "graph"):
            return self._program.mlir()
        if stage == "import":
            return self.imported.text
        stages = self._program.stages()
        if not stages and self.backend == "simulator":
            stages = _compile_text(self.imported.text, self.target,
                                   keep_stages=True).stages()
        if stage not in stages:
            raise KeyError(f"no stage '{stage}'; stages: "
                           + ", ".join(["import", "graph"] + list(stages)))
        return stages[stage]

    def _need_program(self, what):
        if self.backend != "simulator":
            raise NotLoweredError(
                f"{what}: this model was compiled with backend="
                "\"reference\" and has no ISA program")

    def asm(self):
        self._need_program("asm()")
        return self._program.asm()

    def save(self, path, binary=True):
        """Writes the program file (binary .dojo, or assembly with
        binary=False). Parameters are inputs of the program: pass them
        (CompiledModel.params) when running it with dojo-run."""
        self._need_program("save()")
        return self._program.save(path, binary)

    def report(self):
        """Per-layer work (ops, MACs) from the graph-level IR and, after a
        simulator run, each layer's cycles, MAC utilization and SRAM; then
        the totals of the last run (cycles, time, utilization, cores, peak
        SRAM per core, NoC and DRAM bytes)."""
        from .frontend.report import layer_table

        lines = [f"model: {self.kind}, target {self.target}, precision "
                 f"{self.precision}, backend {self.backend}"]
        st = self.last_stats
        lines += layer_table(self._program.mlir(),
                             st.get("layers") if st else None,
                             st.get("mac_per_cycle", 256) if st else 256)
        if st:
            lines.append(
                f"last run: {st['cycles']} cycles ({st['seconds'] * 1e6:.2f}"
                f" us at {st['clock_mhz']} MHz), utilization "
                f"{100 * st['utilization']:.2f}%, cores {st['cores_used']}/"
                f"{st['cores_enabled']}, peak SRAM/core "
                f"{st['sram_high_water']} of {st['sram_bytes']} B, NoC "
                f"{st['noc_bytes']} B, DRAM {st['dram_bytes']} B")
        elif self.backend == "simulator":
            lines.append("no simulator run yet: call the model first")
        return "\n".join(lines)


def compile_file(path, target="d1", **kwargs):
    """Like compile(), reading the MLIR from `path` (named in diagnostics)."""
    with open(path, "r", encoding="utf-8") as f:
        text = f.read()
    kwargs.setdefault("source_name", str(path))
    return compile(text, None, target, **kwargs)


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
