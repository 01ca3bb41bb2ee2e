"""Text builder for graph-level `dojo` MLIR, shared by the importers.

The importers (torch_import, onnx_import) produce one `func.func @main`
whose arguments are the model inputs followed by every parameter the graph
uses, each named with a `dojo.name` argument attribute (the module path of a
PyTorch parameter, the initializer name of an ONNX model). Parameter values
are not in the IR: they are kept in `GraphBuilder.params` and passed at run
time. Scalars and other constants of the model become arguments too (named
`<location>.const<N>`), so the IR has no constant ops.

Every op carries a NameLoc (`loc("layer1.0.conv1")`) naming the layer or
node it came from, so diagnostics and reports name layers.
"""

import numpy as np

from .._dojo import CompileError


def compile_error(message, **attrs):
    """A dojo.CompileError whose `diagnostics` is `message`; extra keyword
    arguments become attributes (`op`, `node`)."""
    e = CompileError(message)
    e.diagnostics = message
    for k, v in attrs.items():
        setattr(e, k, v)
    return e

# MLIR element type of each importer element kind.
FLOAT_TYPES = ("f32", "bf16")
# Integer and boolean element types (graph-level ops that take them run on
# the reference interpreter only) and their NumPy types.
INT_TYPES = {"i1": np.bool_, "i8": np.int8, "i16": np.int16,
             "i32": np.int32, "i64": np.int64}


def element_type_of(dtype):
    """The MLIR element type for a NumPy integer or boolean dtype, or None
    (unsigned and other types have none)."""
    dtype = np.dtype(dtype)
    for et, t in INT_TYPES.items():
        if np.dtype(t) == dtype:
            return et
    return None


def tensor_type(shape, et):
    return "tensor<" + "".join(f"{int(d)}x" for d in shape) + et + ">"


def f32_literal(v):
    """An MLIR float literal that round-trips the FP32 value `v`."""
    v = float(np.float32(v))
    if np.isnan(v) or np.isinf(v):
        bits = int(np.array(v, np.float32).view(np.uint32))
        return f"0x{bits:08X}"
    return "%.9e" % v


def i64_array(values):
    return "array<i64" + "".join(
        (": " if i == 0 else ", ") + str(int(v))
        for i, v in enumerate(values)) + ">"


def list_attr(values):
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


def loc_text(name):
    name = str(name).replace("\\", "\\\\").replace('"', '\\"')
    return f'loc("{name}")'


class Value:
    """An SSA tensor value of the function being built."""

    __slots__ = ("ssa", "shape", "et")

    def __init__(self, ssa, shape, et):
        self.ssa = ssa
        self.shape = tuple(int(d) for d in shape)
        self.et = et

    @property
    def type(self):
        return tensor_type(self.shape, self.et)

    @property
    def rank(self):
        return len(self.shape)

    def __repr__(self):
        return f"Value({self.ssa}: {self.type})"


def broadcast_shape(a, b, where):
    try:
        return tuple(np.broadcast_shapes(tuple(a), tuple(b)))
    except ValueError:
        raise compile_error(f"{where}: shapes {tuple(a)} and {tuple(b)} do "
                           "not broadcast")


class GraphBuilder:
    """Builds `func.func @main` in the dojo dialect, as text."""

    def __init__(self, float_type="f32", func_name="main"):
        if float_type not in FLOAT_TYPES:
            raise ValueError(f"float type must be one of {FLOAT_TYPES}")
        self.ft = float_type
        self.func_name = func_name
        self.args = []        # (Value, name, kind) kind: input | param
        self.params = {}      # name -> numpy array (host value)
        self.lines = []
        self.results = []
        self._n = 0
        self._consts = {}     # per-location counter

    # -- values ------------------------------------------------------------

    def _fresh(self):
        self._n += 1
        return f"%v{self._n}"

    def _arg(self, name, shape, et, kind):
        for v, n, _ in self.args:
            if n == name:
                raise compile_error(f"duplicate argument name '{name}'")
        v = Value(f"%a{len(self.args)}", shape, et)
        self.args.append((v, name, kind))
        return v

    def input(self, name, shape, et=None):
        """A model input (`et` defaults to the float type)."""
        return self._arg(name, shape, et or self.ft, "input")

    def param(self, name, array, et=None):
        """A named parameter passed at run time; returns the existing
        argument if `name` is already one."""
        for v, n, kind in self.args:
            if n == name:
                return v
        array = np.asarray(array)
        if et is None:
            et = self.ft if array.dtype.kind == "f" else "i64"
        if et in FLOAT_TYPES:
            array = np.ascontiguousarray(array, dtype=np.float32)
        elif et in INT_TYPES:   # (keeps rank 0, unlike ascontiguousarray)
            array = np.require(np.asarray(array, INT_TYPES[et]),
                               requirements="C")
        self.params[name] = array
        return self._arg(name, array.shape, et, "param")

    def const(self, array, loc, et=None):
        """A constant of the model, passed as a named argument."""
        k = self._consts.get(loc, 0)
        self._consts[loc] = k + 1
        name = f"{loc}.const{k}" if k else f"{loc}.const"
        while any(n == name for _, n, _ in self.args):
            k += 1
            self._consts[loc] = k + 1
            name = f"{loc}.const{k}"
        if et in INT_TYPES:
            return self.param(name, np.asarray(array).astype(INT_TYPES[et]),
                              et)
        return self.param(name, np.asarray(array, np.float32), et)

    def scalar(self, value, loc):
        return self.const(np.array(value, np.float32), loc)

    # -- emission ----------------------------------------------------------

    def emit(self, body, shape, loc, et=None):
        """Appends `%r = <body>` whose result type is `shape` x `et`; `body`
        may use `{R}` for the result type."""
        v = Value(self._fresh(), shape, et or self.ft)
        body = body.replace("{R}", v.type)
        self.lines.append(f"    {v.ssa} = {body} {loc_text(loc)}")
        return v

    def result(self, v):
        self.results.append(v)

    def text(self):
        params = []
        for v, name, _ in self.args:
            n = name.replace("\\", "\\\\").replace('"', '\\"')
            params.append(f"%{v.ssa[1:]}: {v.type} {{dojo.name = \"{n}\"}}")
        res = ", ".join(v.type for v in self.results)
        head = f"  func.func @{self.func_name}(" + ", ".join(params) + ")"
        head += f" -> ({res}) {{"
        ret = ("    return " + ", ".join(v.ssa for v in self.results) +
               " : " + res)
        return ("module {\n" + head + "\n" + "\n".join(self.lines) + "\n" +
                ret + "\n  }\n}\n")

    # -- ops ---------------------------------------------------------------

    def matmul(self, a, b, loc, transpose_lhs=False, transpose_rhs=False):
        m = a.shape[1] if transpose_lhs else a.shape[0]
        ka = a.shape[0] if transpose_lhs else a.shape[1]
        kb = b.shape[1] if transpose_rhs else b.shape[0]
        n = b.shape[0] if transpose_rhs else b.shape[1]
        if ka != kb:
            raise compile_error(f"{loc}: matmul of {a.shape} and {b.shape}: "
                               "inner dimensions differ")
        attrs = [x for x, on in (("transpose_lhs", transpose_lhs),
                                 ("transpose_rhs", transpose_rhs)) if on]
        at = (" {" + ", ".join(attrs) + "}") if attrs else ""
        return self.emit(f"dojo.matmul {a.ssa}, {b.ssa}{at} : {a.type}, "
                         f"{b.type} -> {{R}}", (m, n), loc)

    def batch_matmul(self, a, b, loc, transpose_lhs=False,
                     transpose_rhs=False):
        m = a.shape[2] if transpose_lhs else a.shape[1]
        n = b.shape[1] if transpose_rhs else b.shape[2]
        batch = max(a.shape[0], b.shape[0])
        attrs = [x for x, on in (("transpose_lhs", transpose_lhs),
                                 ("transpose_rhs", transpose_rhs)) if on]
        at = (" {" + ", ".join(attrs) + "}") if attrs else ""
        return self.emit(f"dojo.batch_matmul {a.ssa}, {b.ssa}{at} : "
                         f"{a.type}, {b.type} -> {{R}}", (batch, m, n), loc)

    def conv2d(self, x, w, bias, loc, strides=(1, 1), padding=(0, 0, 0, 0),
               dilations=(1, 1), groups=1):
        n, c, h, wd = x.shape
        o, cg, kh, kw = w.shape
        oh = (h + padding[0] + padding[2] - dilations[0] * (kh - 1) - 1) // \
            strides[0] + 1
        ow = (wd + padding[1] + padding[3] - dilations[1] * (kw - 1) - 1) // \
            strides[1] + 1
        attrs = []
        if tuple(strides) != (1, 1):
            attrs.append(f"strides = {i64_array(strides)}")
        if tuple(padding) != (0, 0, 0, 0):
            attrs.append(f"padding = {i64_array(padding)}")
        if tuple(dilations) != (1, 1):
            attrs.append(f"dilations = {i64_array(dilations)}")
        if groups != 1:
            attrs.append(f"groups = {int(groups)} : i64")
        at = (" {" + ", ".join(attrs) + "}") if attrs else ""
        ops = f"{x.ssa}, {w.ssa}" + (f", {bias.ssa}" if bias else "")
        tys = f"{x.type}, {w.type}" + (f", {bias.type}" if bias else "")
        return self.emit(f"dojo.conv2d {ops}{at} : {tys} -> {{R}}",
                         (n, o, oh, ow), loc)

    def pool2d(self, kind, x, loc, kernel, strides, padding,
               count_include_pad=False):
        n, c, h, w = x.shape
        oh = (h + padding[0] + padding[2] - kernel[0]) // strides[0] + 1
        ow = (w + padding[1] + padding[3] - kernel[1]) // strides[1] + 1
        attrs = [f"kernel = {i64_array(kernel)}",
                 f"strides = {i64_array(strides)}"]
        if tuple(padding) != (0, 0, 0, 0):
            attrs.append(f"padding = {i64_array(padding)}")
        if kind == "avg" and count_include_pad:
            attrs.append("count_include_pad")
        return self.emit(f"dojo.{kind}_pool2d {x.ssa} {{{', '.join(attrs)}}}"
                         f" : {x.type} -> {{R}}", (n, c, oh, ow), loc)

    def global_pool2d(self, kind, x, loc):
        n, c = x.shape[:2]
        return self.emit(f"dojo.global_{kind}_pool2d {x.ssa} : {x.type} -> "
                         "{R}", (n, c, 1, 1), loc)

    def binary(self, op, a, b, loc):
        shape = broadcast_shape(a.shape, b.shape, loc)
        return self.emit(f"dojo.{op} {a.ssa}, {b.ssa} : {a.type}, {b.type} "
                         "-> {R}", shape, loc)

    def unary(self, op, x, loc):
        return self.emit(f"dojo.{op} {x.ssa} : {x.type}", x.shape, loc)

    def gelu(self, x, loc, approximate="none"):
        ap = " approximate tanh" if approximate == "tanh" else ""
        return self.emit(f"dojo.gelu {x.ssa}{ap} : {x.type}", x.shape, loc)

    def cast(self, x, et, loc):
        if x.et == et:
            return x
        return self.emit(f"dojo.cast {x.ssa} : {x.type} -> {{R}}", x.shape,
                         loc, et)

    def reduce(self, op, x, axes, keepdim, loc):
        axes = sorted(set(int(a) % max(x.rank, 1) for a in axes))
        shape = [1 if i in axes else d for i, d in enumerate(x.shape)
                 ] if keepdim else [d for i, d in enumerate(x.shape)
                                    if i not in axes]
        kd = " keepdim" if keepdim else ""
        return self.emit(f"dojo.{op} {x.ssa} axes {list_attr(axes)}{kd} : "
                         f"{x.type} -> {{R}}", shape, loc)

    def softmax(self, x, axis, loc):
        axis = int(axis) % x.rank
        return self.emit(f"dojo.softmax {x.ssa} axis {axis} : {x.type}",
                         x.shape, loc)

    def layer_norm(self, x, gamma, beta, axis, eps, loc):
        s = f"dojo.layer_norm {x.ssa}"
        if gamma is not None:
            s += f" scale {gamma.ssa} : {gamma.type}"
        if beta is not None:
            s += f" bias {beta.ssa} : {beta.type}"
        s += f" axis {int(axis) % x.rank} {{epsilon = {f32_literal(eps)} : " \
             f"f32}} : {x.type}"
        return self.emit(s, x.shape, loc)

    def batch_norm(self, x, mean, var, gamma, beta, eps, loc, axis=1):
        return self.emit(
            f"dojo.batch_norm {x.ssa}, {mean.ssa}, {var.ssa}, {gamma.ssa}, "
            f"{beta.ssa} {{axis = {int(axis)} : i64, epsilon = "
            f"{f32_literal(eps)} : f32}} : {x.type}, {mean.type}", x.shape,
            loc)

    def transpose(self, x, perm, loc):
        perm = [int(p) for p in perm]
        if perm == list(range(x.rank)):
            return x
        shape = [x.shape[p] for p in perm]
        return self.emit(f"dojo.transpose {x.ssa} perm {list_attr(perm)} : "
                         f"{x.type} -> {{R}}", shape, loc)

    def reshape(self, x, shape, loc):
        shape = tuple(int(d) for d in shape)
        if shape == x.shape:
            return x
        if int(np.prod(shape)) != int(np.prod(x.shape)):
            raise compile_error(f"{loc}: cannot reshape {x.shape} to {shape}")
        return self.emit(f"dojo.reshape {x.ssa} : {x.type} -> {{R}}", shape,
                         loc, x.et)

    def concat(self, xs, axis, loc):
        if len(xs) == 1:
            return xs[0]
        axis = int(axis) % xs[0].rank
        shape = list(xs[0].shape)
        shape[axis] = sum(x.shape[axis] for x in xs)
        return self.emit(
            f"dojo.concat {', '.join(x.ssa for x in xs)} axis {axis} : "
            f"{', '.join(x.type for x in xs)} -> {{R}}", shape, loc,
            xs[0].et)

    def slice(self, x, offsets, sizes, strides, loc):
        if list(offsets) == [0] * x.rank and tuple(sizes) == x.shape:
            return x
        return self.emit(
            f"dojo.slice {x.ssa} offsets {list_attr(offsets)} sizes "
            f"{list_attr(sizes)} strides {list_attr(strides)} : {x.type} -> "
            "{R}", sizes, loc, x.et)

    def pad(self, x, low, high, value, loc):
        if not any(low) and not any(high):
            return x
        shape = [d + lo + hi for d, lo, hi in zip(x.shape, low, high)]
        val = f" value {f32_literal(value)}" if value != 0 else ""
        return self.emit(f"dojo.pad {x.ssa} low {list_attr(low)} high "
                         f"{list_attr(high)}{val} : {x.type} -> {{R}}",
                         shape, loc, x.et)

    def gather(self, table, idx, loc):
        shape = tuple(idx.shape) + tuple(table.shape[1:])
        return self.emit(f"dojo.gather {table.ssa}[{idx.ssa}] : {table.type}"
                         f", {idx.type} -> {{R}}", shape, loc, table.et)

    # -- graph-level ops on any element type (reference interpreter only) --

    def compare(self, pred, a, b, loc):
        shape = broadcast_shape(a.shape, b.shape, loc)
        return self.emit(f"dojo.compare {pred} {a.ssa}, {b.ssa} : {a.type}, "
                         f"{b.type} -> {{R}}", shape, loc, "i1")

    def select(self, c, t, f, loc):
        shape = broadcast_shape(broadcast_shape(c.shape, t.shape, loc),
                                f.shape, loc)
        return self.emit(f"dojo.select {c.ssa}, {t.ssa}, {f.ssa} : {c.type}, "
                         f"{t.type}, {f.type} -> {{R}}", shape, loc, t.et)

    def logical(self, op, a, b, loc):
        shape = broadcast_shape(a.shape, b.shape, loc)
        return self.emit(f"dojo.logical_{op} {a.ssa}, {b.ssa} : {a.type}, "
                         f"{b.type} -> {{R}}", shape, loc, "i1")

    def logical_not(self, x, loc):
        return self.emit(f"dojo.logical_not {x.ssa} : {x.type}", x.shape,
                         loc, "i1")

    def convert(self, x, et, loc):
        if x.et == et:
            return x
        return self.emit(f"dojo.convert {x.ssa} : {x.type} -> {{R}}",
                         x.shape, loc, et)

    def arg_reduce(self, kind, x, axis, keepdim, last, loc, et="i64"):
        axis = int(axis) % x.rank
        shape = [1 if i == axis else d for i, d in enumerate(x.shape)
                 ] if keepdim else [d for i, d in enumerate(x.shape)
                                    if i != axis]
        kd = " keepdim" if keepdim else ""
        at = " {select_last_index}" if last else ""
        return self.emit(f"dojo.{kind} {x.ssa} axis {axis}{kd}{at} : "
                         f"{x.type} -> {{R}}", shape, loc, et)
