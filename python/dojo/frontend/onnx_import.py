"""ONNX importer: an ONNX model (file or ModelProto) -> graph-level dojo MLIR.

    from dojo.frontend.onnx_import import import_onnx
    imported = import_onnx("model.onnx", None, float_type="f32")

Graph inputs that are not initializers become the function's first
arguments (named after the ONNX input); float initializers that feed
computation become named arguments (the initializer name), passed at run
time. Values known at compile time -- initializers, Constant nodes, Shape of
a (static) tensor, and every node whose inputs are all known (shape
arithmetic such as Shape -> Gather -> Concat -> Reshape) -- are folded with
NumPy and never reach the IR unless a runtime op consumes them.

Every op carries the ONNX node name as its location (or `<OpType>_<index>`
for unnamed nodes). Unsupported ops, attributes or types raise
dojo.CompileError naming the op and the node.

Floating-point computation is in the importer's float type (f32 or bf16).
Boolean and signed integer tensors (bool, int8, int16, int32, int64) exist
at run time too: as inputs and outputs, gather indices, and operands of the
graph-level ops that take any element type (dojo.compare, dojo.select,
dojo.logical_*, dojo.convert, dojo.argmax/argmin, dojo.reshape), which run
on the reference interpreter only. Unsigned integer, float64 and float16
tensors are not supported.
"""

import numpy as np

from .builder import INT_TYPES, GraphBuilder, compile_error, element_type_of
from .torch_import import ImportedGraph

# ONNX TensorProto element types.
_FLOAT, _UINT8, _INT8, _UINT16, _INT16, _INT32, _INT64 = 1, 2, 3, 4, 5, 6, 7
_BOOL, _F16, _F64 = 9, 10, 11
# ONNX element types with an MLIR integer/boolean element type.
_INT_ET = {_BOOL: "i1", _INT8: "i8", _INT16: "i16", _INT32: "i32",
           _INT64: "i64"}
_NP = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16,
       6: np.int32, 7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64,
       12: np.uint32, 13: np.uint64}
_TYPE_NAMES = {1: "float32", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16",
               6: "int32", 7: "int64", 8: "string", 9: "bool",
               10: "float16", 11: "float64", 12: "uint32", 13: "uint64",
               14: "complex64", 15: "complex128", 16: "bfloat16"}


class _Ctx:
    def __init__(self, model, float_type, const_inputs):
        import onnx
        from onnx import numpy_helper

        self.onnx = onnx
        self.nh = numpy_helper
        self.model = model
        self.graph = model.graph
        self.b = GraphBuilder(float_type)
        self.vals = {}        # runtime values
        self.consts = {}      # known values (numpy)
        self.init_names = set()
        self.const_inputs = dict(const_inputs or {})
        self.opset = 1
        for imp in model.opset_import:
            if imp.domain in ("", "ai.onnx"):
                self.opset = imp.version

    # -- errors and attributes -----------------------------------------------

    def fail(self, node, what):
        raise compile_error(f"{self.loc(node)}: unsupported {what} "
                            f"(ONNX node '{self.loc(node)}', op "
                            f"{node.op_type})", op=node.op_type,
                            node=self.loc(node))

    def loc(self, node):
        return node.name or f"{node.op_type}_{self._index[id(node)]}"

    def attrs(self, node):
        out = {}
        for a in node.attribute:
            out[a.name] = self.onnx.helper.get_attribute_value(a)
            if isinstance(out[a.name], bytes):
                out[a.name] = out[a.name].decode()
            if a.type == self.onnx.AttributeProto.TENSOR:
                out[a.name] = self.nh.to_array(a.t)
        return out

    # -- operands ----------------------------------------------------------

    def known(self, name):
        return name in self.consts

    def const(self, name, node):
        if name not in self.consts:
            raise compile_error(
                f"{self.loc(node)}: input '{name}' of {node.op_type} must be "
                "known at compile time (a constant or initializer)",
                op=node.op_type, node=self.loc(node))
        return self.consts[name]

    def opt_const(self, node, i, default=None):
        if len(node.input) > i and node.input[i]:
            return self.const(node.input[i], node)
        return default

    def val(self, name, node, index=False, typed=False):
        """The runtime value of tensor `name` (materializing a known value
        as a named argument: integers as i64 indices if `index`, booleans
        and integers with their own element type if `typed`)."""
        if name in self.vals:
            return self.vals[name]
        if name not in self.consts:
            raise compile_error(f"{self.loc(node)}: unknown tensor '{name}'",
                                node=self.loc(node))
        a = self.consts[name]
        pname = name if name in self.init_names else \
            f"{self.loc(node)}.{name or 'const'}"
        if a.dtype.kind in "iub" and typed and element_type_of(a.dtype):
            v = self.b.param(pname, a, element_type_of(a.dtype))
        elif a.dtype.kind in "iub":
            if not index:
                raise compile_error(
                    f"{self.loc(node)}: {node.op_type} on an integer tensor "
                    f"'{name}': the dojo op set computes on f32/bf16 only",
                    op=node.op_type, node=self.loc(node))
            v = self.b.param(pname, a.astype(np.int64), "i64")
        else:
            if a.dtype != np.float32:
                self._check_float(a.dtype, node)
            v = self.b.param(pname, a.astype(np.float32))
        self.vals[name] = v
        return v

    def _check_float(self, dt, node):
        if dt == np.float64:
            raise compile_error(f"{self.loc(node)}: float64 tensors are not "
                                "supported (dojo computes in f32/bf16)",
                                op=node.op_type, node=self.loc(node))

    def scalar(self, v, node):
        return self.b.scalar(float(v), self.loc(node))

    # -- import ------------------------------------------------------------

    def run(self, example_inputs):
        g = self.graph
        for t in g.initializer:
            self.consts[t.name] = self.nh.to_array(t)
            self.init_names.add(t.name)
        inputs = [i for i in g.input if i.name not in self.init_names]
        if example_inputs is not None and not isinstance(
                example_inputs, dict):
            if hasattr(example_inputs, "shape"):
                example_inputs = [example_inputs]
            example_inputs = {i.name: x for i, x in zip(
                [i for i in inputs if i.name not in self.const_inputs],
                example_inputs)}
        example_inputs = example_inputs or {}
        names, types = [], {}
        for i in inputs:
            if i.name in self.const_inputs:
                self.consts[i.name] = np.asarray(self.const_inputs[i.name])
                continue
            tt = i.type.tensor_type
            et = tt.elem_type
            shape = []
            for k, d in enumerate(tt.shape.dim):
                if d.HasField("dim_value"):
                    shape.append(d.dim_value)
                elif i.name in example_inputs:
                    shape.append(np.shape(example_inputs[i.name])[k])
                else:
                    raise compile_error(
                        f"input '{i.name}' has a dynamic dimension "
                        f"'{d.dim_param}': pass example_inputs")
            if et == _FLOAT:
                mt = self.b.ft
            elif et in _INT_ET:
                mt = _INT_ET[et]
            else:
                raise compile_error(
                    f"input '{i.name}' has element type "
                    f"{_TYPE_NAMES.get(et, et)}: dojo takes float32, bool "
                    "and int8/16/32/64", node=i.name)
            self.vals[i.name] = self.b.input(i.name, shape, mt)
            names.append(i.name)
            types[i.name] = (tuple(shape), mt)
        nodes = list(g.node)   # stable wrappers (ids key _index and skip)
        self._index = {id(n): k for k, n in enumerate(nodes)}
        self.consumers = {}
        for n in nodes:
            for i in n.input:
                self.consumers.setdefault(i, []).append(n)
        self.producer = {o: n for n in nodes for o in n.output}
        graph_outs = {o.name for o in g.output}
        self.graph_outs = graph_outs
        self.skip = set()
        for node in nodes:   # Constant nodes have no inputs: known first
            if node.op_type == "Constant" and node.domain in ("", "ai.onnx"):
                self.consts[node.output[0]] = self.constant(node)
        for node in nodes:
            if id(node) in self.skip:
                continue
            self.node(node)
        outs = []
        for o in g.output:
            if o.name in self.vals:
                v = self.vals[o.name]
            elif o.name in self.consts:
                c = np.asarray(self.consts[o.name])
                if c.dtype.kind in "iub" and not element_type_of(c.dtype):
                    raise compile_error(
                        f"graph output '{o.name}' has element type "
                        f"{c.dtype}: not supported")
                v = self.val(o.name, nodes[-1] if nodes else None,
                             typed=True)
            else:
                raise compile_error(f"graph output '{o.name}' is not "
                                    "computed")
            self.b.result(v)
            outs.append(v.et)
        return ImportedGraph(self.b.text(), self.b.params, names,
                             [f"result{i}" for i in range(len(outs) or
                                                          len(g.output))],
                             types, output_types=outs)

    def node(self, node):
        op = node.op_type
        if node.domain not in ("", "ai.onnx"):
            self.fail(node, f"op domain '{node.domain}'")
        ins = [n for n in node.input]
        if op == "Constant":
            self.consts[node.output[0]] = self.constant(node)
            return
        if all((not n) or self.known(n) for n in ins) and op in FOLDERS:
            try:
                outs = FOLDERS[op](self, node,
                                   [self.consts.get(n) if n else None
                                    for n in ins], self.attrs(node))
            except _NoFold:
                outs = None
            if outs is not None:
                for name, v in zip(node.output, outs):
                    self.consts[name] = np.asarray(v)
                return
        if op == "Shape":
            x = self.value_or_const_shape(ins[0], node)
            a = self.attrs(node)
            start, end = a.get("start", 0), a.get("end", None)
            s = np.array(x, np.int64)[start:end]
            self.consts[node.output[0]] = s
            return
        if op == "Size":
            self.consts[node.output[0]] = np.array(
                int(np.prod(self.value_or_const_shape(ins[0], node))),
                np.int64)
            return
        if op == "Erf" and self.fuse_gelu(node):
            return
        h = HANDLERS.get(op)
        if h is None:
            self.fail(node, f"op {op}")
        res = h(self, node, self.attrs(node))
        if not isinstance(res, (list, tuple)):
            res = [res]
        for name, v in zip(node.output, res):
            if name and v is not None:
                self.vals[name] = v

    def _scalar_const(self, name):
        if name in self.consts and np.size(self.consts[name]) == 1:
            return float(np.asarray(self.consts[name]).ravel()[0])
        return None

    def _only_consumer(self, name):
        c = self.consumers.get(name, [])
        if len(c) != 1 or name in self.graph_outs:
            return None
        return c[0]

    def _other(self, node, name):
        a, b = node.input[0], node.input[1]
        return b if a == name else a if b == name else None

    def fuse_gelu(self, erf):
        """0.5 * x * (1 + erf(x / sqrt(2))) (how torch.onnx exports GELU)
        becomes one dojo.gelu; returns False if the pattern does not match."""
        pre = self.producer.get(erf.input[0])
        if pre is None or pre.op_type not in ("Div", "Mul"):
            return False
        c = self._scalar_const(pre.input[1])
        if c is None or not (
                (pre.op_type == "Div" and abs(c - 2**0.5) < 1e-6) or
                (pre.op_type == "Mul" and abs(c - 2**-0.5) < 1e-6)):
            return False
        x = pre.input[0]
        add = self._only_consumer(erf.output[0])
        if add is None or add.op_type != "Add" or self._scalar_const(
                self._other(add, erf.output[0]) or "") != 1.0:
            return False
        m1 = self._only_consumer(add.output[0])
        if m1 is None or m1.op_type != "Mul":
            return False
        other = self._other(m1, add.output[0])
        if other == x:
            m2 = self._only_consumer(m1.output[0])
            if m2 is None or m2.op_type != "Mul" or self._scalar_const(
                    self._other(m2, m1.output[0]) or "") != 0.5:
                return False
            last, chain = m2, (add, m1, m2)
        else:  # (x * 0.5) * (1 + erf)
            half = self.producer.get(other)
            if half is None or half.op_type != "Mul" or x not in \
                    half.input or self._scalar_const(
                        self._other(half, x) or "") != 0.5:
                return False
            last, chain = m1, (add, m1)
        if x not in self.vals:
            return False
        self.vals[last.output[0]] = self.b.gelu(self.vals[x],
                                                self.loc(erf))
        for n in chain:
            self.skip.add(id(n))
        return True

    def value_or_const_shape(self, name, node):
        if name in self.vals:
            return self.vals[name].shape
        return np.shape(self.const(name, node))

    def constant(self, node):
        a = self.attrs(node)
        if "value" in a:
            return np.asarray(a["value"])
        for k, dt in (("value_float", np.float32), ("value_int", np.int64)):
            if k in a:
                return np.array(a[k], dt)
        for k, dt in (("value_floats", np.float32), ("value_ints", np.int64)):
            if k in a:
                return np.array(list(a[k]), dt)
        self.fail(node, "Constant form")


class _NoFold(Exception):
    pass


# ---------------------------------------------------------------------------
# Constant folding (NumPy) of nodes whose inputs are all known
# ---------------------------------------------------------------------------

def _axes_attr_or_input(ctx, node, vals, attrs, i=1):
    if "axes" in attrs:
        return list(attrs["axes"])
    if len(vals) > i and vals[i] is not None:
        return [int(x) for x in np.asarray(vals[i]).ravel()]
    return None


def _fold_unsqueeze(ctx, node, v, a):
    axes = _axes_attr_or_input(ctx, node, v, a)
    x = v[0]
    r = x.ndim + len(axes)
    for ax in sorted(x % r for x in axes):
        x = np.expand_dims(x, ax)
    return [x]


def _fold_squeeze(ctx, node, v, a):
    axes = _axes_attr_or_input(ctx, node, v, a)
    x = v[0]
    return [np.squeeze(x, axis=tuple(axes) if axes is not None else None)]


def _reshape_target(in_shape, shape, allowzero):
    shape = [int(s) for s in np.asarray(shape).ravel()]
    out = []
    for i, s in enumerate(shape):
        if s == 0 and not allowzero:
            out.append(in_shape[i])
        else:
            out.append(s)
    if -1 in out:
        known = int(np.prod([s for s in out if s != -1]))
        total = int(np.prod(in_shape))
        out[out.index(-1)] = total // known if known else 0
    return out


def _fold_cast(ctx, node, v, a):
    to = a["to"]
    if to not in _NP:
        raise _NoFold()
    return [v[0].astype(_NP[to])]


def _slice_params(shape, starts, ends, axes, steps):
    rank = len(shape)
    starts = [int(x) for x in np.asarray(starts).ravel()]
    ends = [int(x) for x in np.asarray(ends).ravel()]
    axes = list(range(len(starts))) if axes is None else \
        [int(x) % rank for x in np.asarray(axes).ravel()]
    steps = [1] * len(starts) if steps is None else \
        [int(x) for x in np.asarray(steps).ravel()]
    sl = [slice(None)] * rank
    for s, e, ax, st in zip(starts, ends, axes, steps):
        sl[ax] = slice(s, e, st)
    return sl


def _fold_slice(ctx, node, v, a):
    if "starts" in a:  # opset < 10
        sl = _slice_params(v[0].shape, a["starts"], a["ends"],
                           a.get("axes"), None)
    else:
        sl = _slice_params(v[0].shape, v[1], v[2],
                           v[3] if len(v) > 3 else None,
                           v[4] if len(v) > 4 else None)
    return [v[0][tuple(sl)]]


def _fold_gather(ctx, node, v, a):
    return [np.take(v[0], v[1].astype(np.int64), axis=a.get("axis", 0))]


def _fold_range(ctx, node, v, a):
    return [np.arange(v[0], v[1], v[2]).astype(v[0].dtype)]


def _fold_cos(ctx, node, v, a):
    t = a.get("value")
    val = np.asarray(t) if t is not None else np.array([0], np.float32)
    return [np.full([int(s) for s in v[0]], val.ravel()[0], val.dtype)]


def _binop_fold(f):
    def fold(ctx, node, v, a):
        if any(x.dtype.kind == "f" and x.dtype != np.float32 for x in v):
            raise _NoFold()
        r = f(v[0], v[1])
        if v[0].dtype.kind in "iu" and f is np.divide:
            r = (v[0] // v[1]).astype(v[0].dtype)
        return [np.asarray(r).astype(np.result_type(v[0], v[1]))]
    return fold


def _fold_transpose(ctx, node, v, a):
    return [np.transpose(v[0], a.get("perm"))]


def _fold_concat(ctx, node, v, a):
    return [np.concatenate(v, axis=a["axis"])]


def _fold_reshape(ctx, node, v, a):
    shape = v[1] if len(v) > 1 else a["shape"]
    return [v[0].reshape(_reshape_target(v[0].shape, shape,
                                         a.get("allowzero", 0)))]


def _np_unary(f):
    return lambda c, n, v, a: [np.asarray(f(v[0])).astype(v[0].dtype)]


def _np_variadic(f):
    def fold(c, n, v, a):
        r = v[0]
        for x in v[1:]:
            r = f(r, x)
        return [r]
    return fold


def _fold_reduce(f):
    def fold(c, n, v, a):
        axes = _axes_attr_or_input(c, n, v, a)
        keep = bool(a.get("keepdims", 1))
        if not axes:
            if a.get("noop_with_empty_axes", 0):
                return [v[0]]
            axes = None
        return [np.asarray(f(v[0], axis=None if axes is None else
                             tuple(axes), keepdims=keep)).astype(v[0].dtype)]
    return fold


FOLDERS = {
    "Neg": _np_unary(np.negative), "Abs": _np_unary(np.abs),
    "Sqrt": _np_unary(np.sqrt), "Floor": _np_unary(np.floor),
    "Ceil": _np_unary(np.ceil), "Sign": _np_unary(np.sign),
    "Not": lambda c, n, v, a: [np.logical_not(v[0])],
    "Equal": lambda c, n, v, a: [np.equal(v[0], v[1])],
    "Less": lambda c, n, v, a: [np.less(v[0], v[1])],
    "Greater": lambda c, n, v, a: [np.greater(v[0], v[1])],
    "Where": lambda c, n, v, a: [np.where(v[0], v[1], v[2])],
    "Max": _np_variadic(np.maximum), "Min": _np_variadic(np.minimum),
    "ReduceProd": _fold_reduce(np.prod), "ReduceSum": _fold_reduce(np.sum),
    "ReduceMax": _fold_reduce(np.max), "ReduceMin": _fold_reduce(np.min),
    "Expand": lambda c, n, v, a: [v[0] * np.ones(
        [int(x) for x in v[1]], v[0].dtype)],
    "Tile": lambda c, n, v, a: [np.tile(v[0], [int(x) for x in v[1]])],
    "Size": lambda c, n, v, a: [np.array(v[0].size, np.int64)],
    "Shape": lambda c, n, v, a: [np.array(v[0].shape, np.int64)[
        a.get("start", 0):a.get("end", None)]],
    "Identity": lambda c, n, v, a: [v[0]],
    "Unsqueeze": _fold_unsqueeze,
    "Squeeze": _fold_squeeze,
    "Cast": _fold_cast,
    "Slice": _fold_slice,
    "Gather": _fold_gather,
    "Range": _fold_range,
    "ConstantOfShape": _fold_cos,
    "Concat": _fold_concat,
    "Reshape": _fold_reshape,
    "Transpose": _fold_transpose,
    "Add": _binop_fold(np.add),
    "Sub": _binop_fold(np.subtract),
    "Mul": _binop_fold(np.multiply),
    "Div": _binop_fold(np.divide),
}


# ---------------------------------------------------------------------------
# Runtime ops
# ---------------------------------------------------------------------------

def _float_in(ctx, node, i):
    v = ctx.val(node.input[i], node)
    if v.et not in ("f32", "bf16"):
        # Integer data is only known-at-compile-time data (shapes, sizes,
        # indices): the dojo op set computes on f32/bf16.
        raise compile_error(
            f"{ctx.loc(node)}: {node.op_type} on integer tensor "
            f"'{node.input[i]}': integer values must be known at compile "
            "time (the dojo op set computes on f32/bf16 only)",
            op=node.op_type, node=ctx.loc(node))
    return v


def _binary(op):
    def h(ctx, node, a):
        x = _float_in(ctx, node, 0)
        y = _float_in(ctx, node, 1)
        return ctx.b.binary(op, x, y, ctx.loc(node))
    return h


def _variadic(op):
    def h(ctx, node, a):
        if op in ("max", "min") and _is_int(ctx, node, 0):
            return _int_extreme(ctx, node, op)
        vals = [_float_in(ctx, node, i) for i in range(len(node.input))]
        r = vals[0]
        for v in vals[1:]:
            r = ctx.b.binary(op, r, v, ctx.loc(node))
        return r
    return h


def _unary(op):
    def h(ctx, node, a):
        return ctx.b.unary(op, _float_in(ctx, node, 0), ctx.loc(node))
    return h


def _neg(ctx, node, a):
    x = _float_in(ctx, node, 0)
    return ctx.b.binary("mul", x, ctx.scalar(-1.0, node), ctx.loc(node))


def _abs(ctx, node, a):
    x = _float_in(ctx, node, 0)
    n = ctx.b.binary("mul", x, ctx.scalar(-1.0, node), ctx.loc(node))
    return ctx.b.binary("max", x, n, ctx.loc(node))


def _identity(ctx, node, a):
    return ctx.val(node.input[0], node, typed=True)


def _dropout(ctx, node, a):
    if len(node.output) > 1 and node.output[1]:
        ctx.fail(node, "Dropout mask output")
    return _float_in(ctx, node, 0)


def _clip(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    if _is_int(ctx, node, 0):
        x = _any_in(ctx, node, 0)
        for i, pred in ((1, "lt"), (2, "gt")):
            if len(node.input) > i and node.input[i]:
                bound = _any_in(ctx, node, i)
                x = b.select(b.compare(pred, x, bound, loc), bound, x, loc)
        return x
    x = _float_in(ctx, node, 0)
    lo = a.get("min", None)
    hi = a.get("max", None)
    if len(node.input) > 1 and node.input[1]:
        lo = ctx.val(node.input[1], node)
    if len(node.input) > 2 and node.input[2]:
        hi = ctx.val(node.input[2], node)
    if lo is not None:
        lo = lo if not isinstance(lo, float) else ctx.scalar(lo, node)
        x = b.binary("max", x, lo, loc)
    if hi is not None:
        hi = hi if not isinstance(hi, float) else ctx.scalar(hi, node)
        x = b.binary("min", x, hi, loc)
    return x


def _leaky_relu(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    alpha = a.get("alpha", 0.01)
    ax = b.binary("mul", x, ctx.scalar(alpha, node), loc)
    if alpha <= 1:
        return b.binary("max", x, ax, loc)
    return b.binary("min", x, ax, loc)


def _prelu(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    slope = _float_in(ctx, node, 1)
    try:
        np.broadcast_shapes(x.shape, slope.shape)
    except ValueError:
        if slope.rank == 1 and x.rank >= 2 and slope.shape[0] == x.shape[1]:
            # per-channel slope (older exporters)
            slope = b.reshape(slope, (x.shape[1],) + (1,) * (x.rank - 2),
                              loc)
    pos = b.unary("relu", x, loc)
    neg = b.binary("min", x, ctx.scalar(0.0, node), loc)
    return b.binary("add", pos, b.binary("mul", neg, slope, loc), loc)


def _pow(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    if _is_int(ctx, node, 0):
        ctx.fail(node, "Pow of an integer base")
    e = np.asarray(ctx.consts[node.input[1]]) if ctx.known(
        node.input[1]) else None
    if e is None or e.size != 1 or float(e.ravel()[0]) not in (
            1, 2, 3, 0.5, -0.5, -1):
        # dojo.pow (graph level only) with the exponent in the float type.
        x = _float_in(ctx, node, 0)
        y = _any_in(ctx, node, 1)
        return b.binary("pow", x, b.convert(y, x.et, loc), loc)
    e = float(e.ravel()[0])
    x = _float_in(ctx, node, 0)
    if e == 1:
        return b.binary("mul", x, ctx.scalar(1.0, node), loc)
    if e == 2:
        return b.binary("mul", x, x, loc)
    if e == 3:
        return b.binary("mul", b.binary("mul", x, x, loc), x, loc)
    if e == 0.5:
        return b.unary("sqrt", x, loc)
    if e == -0.5:
        return b.unary("rsqrt", x, loc)
    if e == -1:
        return b.unary("reciprocal", x, loc)
    ctx.fail(node, f"Pow with exponent {e}")


def _softsign(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    d = b.binary("add", _abs(ctx, node, a), ctx.scalar(1.0, node), loc)
    return b.binary("div", x, d, loc)


def _hardsigmoid(ctx, node, a, x=None):
    b, loc = ctx.b, ctx.loc(node)
    x = x if x is not None else _float_in(ctx, node, 0)
    alpha, beta = a.get("alpha", 0.2), a.get("beta", 0.5)
    y = b.binary("add", b.binary("mul", x, ctx.scalar(alpha, node), loc),
                 ctx.scalar(beta, node), loc)
    y = b.unary("relu", y, loc)
    return b.binary("min", y, ctx.scalar(1.0, node), loc)


def _hardswish(ctx, node, a):
    x = _float_in(ctx, node, 0)
    hs = _hardsigmoid(ctx, node, {"alpha": 1.0 / 6, "beta": 0.5}, x)
    return ctx.b.binary("mul", x, hs, ctx.loc(node))


def _softplus(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    # log(1 + exp(x)) = max(x, 0) + log(1 + exp(-|x|)) (no overflow)
    e = b.unary("exp", b.binary("mul", _abs(ctx, node, a),
                                ctx.scalar(-1.0, node), loc), loc)
    l = b.unary("log", b.binary("add", e, ctx.scalar(1.0, node), loc), loc)
    return b.binary("add", b.unary("relu", x, loc), l, loc)


def _elu_core(ctx, node, x, alpha):
    """relu(x) + alpha * (exp(min(x, 0)) - 1)"""
    b, loc = ctx.b, ctx.loc(node)
    neg = b.binary("min", x, ctx.scalar(0.0, node), loc)
    em1 = b.binary("sub", b.unary("exp", neg, loc), ctx.scalar(1.0, node),
                   loc)
    return b.binary("add", b.unary("relu", x, loc),
                    b.binary("mul", em1, ctx.scalar(alpha, node), loc), loc)


def _elu(ctx, node, a):
    return _elu_core(ctx, node, _float_in(ctx, node, 0), a.get("alpha", 1.0))


def _selu(ctx, node, a):
    y = _elu_core(ctx, node, _float_in(ctx, node, 0),
                  a.get("alpha", 1.67326319217681884765625))
    return ctx.b.binary("mul", y, ctx.scalar(
        a.get("gamma", 1.05070102214813232421875), node), ctx.loc(node))


def _celu(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    alpha = a.get("alpha", 1.0)
    x = _float_in(ctx, node, 0)
    xa = b.binary("div", x, ctx.scalar(alpha, node), loc)
    neg = b.binary("min", xa, ctx.scalar(0.0, node), loc)
    em1 = b.binary("sub", b.unary("exp", neg, loc), ctx.scalar(1.0, node),
                   loc)
    return b.binary("add", b.unary("relu", x, loc),
                    b.binary("mul", em1, ctx.scalar(alpha, node), loc), loc)


def _mish(ctx, node, a):
    x = _float_in(ctx, node, 0)
    sp = _softplus(ctx, node, a)
    return ctx.b.binary("mul", x, ctx.b.unary("tanh", sp, ctx.loc(node)),
                        ctx.loc(node))


def _trilu(ctx, node, a):
    if _is_int(ctx, node, 0):
        x = _any_in(ctx, node, 0)
        k = int(np.asarray(ctx.opt_const(node, 1, np.array(0))).ravel()[0])
        n, m = x.shape[-2:]
        keep = np.triu(np.ones((n, m), bool), k) if a.get("upper", 1) \
            else np.tril(np.ones((n, m), bool), k)
        loc = ctx.loc(node)
        return ctx.b.select(ctx.b.const(keep, loc, "i1"), x,
                            ctx.b.const(np.zeros((), np.int64), loc, x.et),
                            loc)
    x = _float_in(ctx, node, 0)
    k = int(np.asarray(ctx.opt_const(node, 1, np.array(0))).ravel()[0])
    n, m = x.shape[-2:]
    mask = np.triu(np.ones((n, m), np.float32), k) if a.get("upper", 1) \
        else np.tril(np.ones((n, m), np.float32), k)
    # x * 1 is exact; x * 0 is +-0 (or NaN for inf/NaN inputs).
    return ctx.b.binary("mul", x, ctx.b.const(mask, ctx.loc(node)),
                        ctx.loc(node))


def _take(ctx, node, x, axis, idx):
    """x gathered along `axis` with constant indices `idx` (any shape; the
    result has idx's dims at `axis`), via dojo.gather on a [V, D] view."""
    b, loc = ctx.b, ctx.loc(node)
    idx = np.asarray(idx, np.int64)
    iv = b.param(f"{loc}.indices{len(b.args)}", idx, "i64")
    perm = [axis] + [i for i in range(x.rank) if i != axis]
    xt = b.transpose(x, perm, loc)
    rest = xt.shape[1:]
    table = b.reshape(xt, (xt.shape[0], int(np.prod(rest))), loc)
    g = b.reshape(b.gather(table, iv, loc), tuple(idx.shape) + tuple(rest),
                  loc)
    ni = idx.ndim
    out_perm = list(range(ni, ni + axis)) + list(range(ni)) + \
        list(range(ni + axis, ni + len(rest)))
    return b.transpose(g, out_perm, loc)


def _apply_along(ctx, node, x, axis, m):
    """y = M x along `axis` for a constant matrix M [out, in] (a matmul)."""
    b, loc = ctx.b, ctx.loc(node)
    perm = [i for i in range(x.rank) if i != axis] + [axis]
    xt = b.transpose(x, perm, loc)
    lead = xt.shape[:-1]
    y = b.matmul(b.reshape(xt, (int(np.prod(lead)), xt.shape[-1]), loc),
                 b.const(np.ascontiguousarray(m.T, np.float32), loc), loc)
    y = b.reshape(y, tuple(lead) + (m.shape[0],), loc)
    inv = np.argsort(perm)
    return b.transpose(y, list(inv), loc)


def _resize_matrix(ctx, node, a, n_in, n_out, scale):
    mode = a.get("mode", "nearest")
    ctm = a.get("coordinate_transformation_mode", "half_pixel")
    xo = np.arange(n_out, dtype=np.float64)
    if ctm == "half_pixel":
        x = (xo + 0.5) / scale - 0.5
    elif ctm == "pytorch_half_pixel":
        x = (xo + 0.5) / scale - 0.5 if n_out > 1 else np.zeros(n_out)
    elif ctm == "align_corners":
        x = xo * (n_in - 1) / (n_out - 1) if n_out > 1 else np.zeros(n_out)
    elif ctm == "asymmetric":
        x = xo / scale
    elif ctm == "tf_half_pixel_for_nn":
        x = (xo + 0.5) / scale
    else:
        ctx.fail(node, f"Resize coordinate_transformation_mode '{ctm}'")
    m = np.zeros((n_out, n_in), np.float64)
    if mode == "nearest":
        nm = a.get("nearest_mode", "round_prefer_floor")
        if nm == "round_prefer_floor":
            i = np.where(x - np.floor(x) == 0.5, np.floor(x), np.round(x))
        elif nm == "round_prefer_ceil":
            i = np.where(x - np.floor(x) == 0.5, np.ceil(x), np.round(x))
        elif nm == "floor":
            i = np.floor(x)
        elif nm == "ceil":
            i = np.ceil(x)
        else:
            ctx.fail(node, f"Resize nearest_mode '{nm}'")
        i = np.clip(i, 0, n_in - 1).astype(int)
        m[np.arange(n_out), i] = 1.0
    elif mode == "linear":
        x0 = np.floor(x)
        w1 = x - x0
        i0 = np.clip(x0, 0, n_in - 1).astype(int)
        i1 = np.clip(x0 + 1, 0, n_in - 1).astype(int)
        np.add.at(m, (np.arange(n_out), i0), 1 - w1)
        np.add.at(m, (np.arange(n_out), i1), w1)
    else:
        ctx.fail(node, f"Resize mode '{mode}'")
    return m


def _resize(ctx, node, a):
    x = _float_in(ctx, node, 0)
    if a.get("exclude_outside", 0) or a.get("keep_aspect_ratio_policy",
                                            "stretch") != "stretch":
        ctx.fail(node, "Resize exclude_outside / keep_aspect_ratio_policy")
    if ctx.opset < 11:
        scales = ctx.const(node.input[1], node)
        sizes = None
    else:
        scales = ctx.opt_const(node, 2)
        sizes = ctx.opt_const(node, 3)
    if scales is not None and np.size(scales) == 0:
        scales = None
    if sizes is not None and np.size(sizes) == 0:
        sizes = None
    axes = a.get("axes", list(range(x.rank)))
    if sizes is not None:
        sizes = [int(v) for v in np.asarray(sizes).ravel()]
        scales = [sizes[i] / x.shape[ax] for i, ax in enumerate(axes)]
    elif scales is not None:
        scales = [float(v) for v in np.asarray(scales).ravel()]
        sizes = [int(np.floor(x.shape[ax] * scales[i]))
                 for i, ax in enumerate(axes)]
    else:
        ctx.fail(node, "Resize without scales or sizes")
    y = x
    for i, ax in enumerate(axes):
        if sizes[i] == x.shape[ax] and scales[i] == 1.0:
            continue
        m = _resize_matrix(ctx, node, a, x.shape[ax], sizes[i], scales[i])
        if a.get("mode", "nearest") == "nearest":
            y = _take(ctx, node, y, ax, m.argmax(axis=1))   # exact copy
        else:
            y = _apply_along(ctx, node, y, ax, m)
    return y


def _conv_transpose(ctx, node, a):
    """ConvTranspose as a convolution of the stride-dilated input with the
    flipped, transposed kernel."""
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    w = _float_in(ctx, node, 1)
    bias = _float_in(ctx, node, 2) if len(node.input) > 2 and \
        node.input[2] else None
    if x.rank != 4:
        ctx.fail(node, f"ConvTranspose on a rank-{x.rank} input (2-D only)")
    g = int(a.get("group", 1))
    cin, coutg, kh, kw = w.shape
    k = [kh, kw]
    st = list(a.get("strides", [1, 1]))
    dil = list(a.get("dilations", [1, 1]))
    opad = list(a.get("output_padding", [0, 0]))
    ins = x.shape[2:]
    full = [st[i] * (ins[i] - 1) + opad[i] + (k[i] - 1) * dil[i] + 1
            for i in range(2)]
    if "output_shape" in a:
        out = list(a["output_shape"])[-2:]
        tot = [full[i] - out[i] for i in range(2)]
        ap = a.get("auto_pad", "NOTSET")
        if ap == "SAME_LOWER":
            begin = [t - t // 2 for t in tot]
        else:
            begin = [t // 2 for t in tot]
        end = [tot[i] - begin[i] for i in range(2)]
    elif a.get("auto_pad", "NOTSET") in ("SAME_UPPER", "SAME_LOWER"):
        out = [ins[i] * st[i] for i in range(2)]
        tot = [full[i] - out[i] for i in range(2)]
        if a["auto_pad"] == "SAME_UPPER":
            begin = [t // 2 for t in tot]
        else:
            begin = [t - t // 2 for t in tot]
        end = [tot[i] - begin[i] for i in range(2)]
    else:
        pads = list(a.get("pads", [0, 0, 0, 0]))
        begin, end = pads[:2], pads[2:]
    # Dilate the input by the strides: [N,C,H,1,W,1] padded to s, sliced.
    n, c, h, wd = x.shape
    if st != [1, 1]:
        xr = b.reshape(x, (n, c, h, 1, wd, 1), loc)
        xr = b.pad(xr, [0] * 6, [0, 0, 0, st[0] - 1, 0, st[1] - 1], 0.0, loc)
        xr = b.reshape(xr, (n, c, h * st[0], wd * st[1]), loc)
        x = b.slice(xr, [0, 0, 0, 0], [n, c, (h - 1) * st[0] + 1,
                                       (wd - 1) * st[1] + 1], [1] * 4, loc)
    # Kernel: flip spatially, [Cin, Cout/g, kh, kw] -> [Cout, Cin/g, kh, kw].
    wf = _take(ctx, node, w, 2, np.arange(kh)[::-1].copy())
    wf = _take(ctx, node, wf, 3, np.arange(kw)[::-1].copy())
    cig = cin // g
    wf = b.reshape(wf, (g, cig, coutg, kh, kw), loc)
    wf = b.transpose(wf, (0, 2, 1, 3, 4), loc)
    wf = b.reshape(wf, (g * coutg, cig, kh, kw), loc)
    p = [(k[i] - 1) * dil[i] for i in range(2)]
    lo = [p[i] - begin[i] for i in range(2)]
    hi = [p[i] - end[i] + opad[i] for i in range(2)]
    if min(lo + hi) < 0:
        offs = [0, 0, max(0, -lo[0]), max(0, -lo[1])]
        sz = [x.shape[0], x.shape[1],
              x.shape[2] - offs[2] - max(0, -hi[0]),
              x.shape[3] - offs[3] - max(0, -hi[1])]
        x = b.slice(x, offs, sz, [1] * 4, loc)
        lo = [max(0, v) for v in lo]
        hi = [max(0, v) for v in hi]
    return b.conv2d(x, wf, bias, loc, (1, 1), (lo[0], lo[1], hi[0], hi[1]),
                    dil, g)


def _instance_norm(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    sc = _float_in(ctx, node, 1)
    bi = _float_in(ctx, node, 2)
    y = b.layer_norm(x, None, None, 2, a.get("epsilon", 1e-5), loc) \
        if x.rank > 2 else None
    # layer_norm normalizes [2, rank) per (n, c): instance normalization.
    shp = (x.shape[1],) + (1,) * (x.rank - 2)
    y = b.binary("mul", y, b.reshape(sc, shp, loc), loc)
    return b.binary("add", y, b.reshape(bi, shp, loc), loc)


def _depth_to_space(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    bs = a["blocksize"]
    n, c, h, w = x.shape
    if a.get("mode", "DCR") == "DCR":
        t = b.reshape(x, (n, bs, bs, c // bs // bs, h, w), loc)
        t = b.transpose(t, (0, 3, 4, 1, 5, 2), loc)
    else:
        t = b.reshape(x, (n, c // bs // bs, bs, bs, h, w), loc)
        t = b.transpose(t, (0, 1, 4, 2, 5, 3), loc)
    return b.reshape(t, (n, c // bs // bs, h * bs, w * bs), loc)


def _space_to_depth(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    bs = a["blocksize"]
    n, c, h, w = x.shape
    t = b.reshape(x, (n, c, h // bs, bs, w // bs, bs), loc)
    t = b.transpose(t, (0, 3, 5, 1, 2, 4), loc)
    return b.reshape(t, (n, c * bs * bs, h // bs, w // bs), loc)


def _gather_elements(ctx, node, a):
    x = _float_in(ctx, node, 0)
    idx = np.asarray(ctx.const(node.input[1], node)).astype(np.int64)
    axis = a.get("axis", 0) % x.rank
    idx = np.where(idx < 0, idx + x.shape[axis], idx)
    # flat index of every output element into x
    grids = np.indices(idx.shape)
    coords = [grids[d] if d != axis else idx for d in range(x.rank)]
    flat = np.ravel_multi_index(coords, x.shape)
    b, loc = ctx.b, ctx.loc(node)
    table = b.reshape(x, (int(np.prod(x.shape)), 1), loc)
    g = b.gather(table, b.param(f"{loc}.indices", flat, "i64"), loc)
    return b.reshape(g, idx.shape, loc)


def _eyelike(ctx, node, a):
    x = ctx.val(node.input[0], node, typed=True)
    dt = a.get("dtype")
    et = x.et if dt is None else ctx.b.ft if dt == _FLOAT else \
        _INT_ET.get(dt)
    if et is None:
        ctx.fail(node, f"EyeLike to {_TYPE_NAMES.get(dt, dt)}")
    eye = np.eye(x.shape[0], x.shape[1], a.get("k", 0))
    if et in INT_TYPES:
        return ctx.b.const(eye.astype(INT_TYPES[et]), ctx.loc(node), et)
    return ctx.b.const(eye.astype(np.float32), ctx.loc(node))


def _matmul_nd(ctx, node, x, y):
    b, loc = ctx.b, ctx.loc(node)
    if x.rank == 1 and y.rank == 1:
        r = b.matmul(b.reshape(x, (1, x.shape[0]), loc),
                     b.reshape(y, (y.shape[0], 1), loc), loc)
        return b.reshape(r, (), loc)
    out_vec_l = x.rank == 1
    out_vec_r = y.rank == 1
    if out_vec_l:
        x = b.reshape(x, (1, x.shape[0]), loc)
    if out_vec_r:
        y = b.reshape(y, (y.shape[0], 1), loc)
    batch = tuple(np.broadcast_shapes(x.shape[:-2], y.shape[:-2]))
    out = batch + (x.shape[-2], y.shape[-1])
    if not batch:
        r = b.matmul(x, y, loc)
    elif y.rank == 2 or int(np.prod(y.shape[:-2])) == 1 and \
            tuple(x.shape[:-2]) == batch:
        y2 = b.reshape(y, y.shape[-2:], loc)
        m = int(np.prod(x.shape[:-1]))
        r = b.matmul(b.reshape(x, (m, x.shape[-1]), loc), y2, loc)
    else:
        nb = int(np.prod(batch))

        def as3(t):
            tb = tuple(t.shape[:-2])
            if int(np.prod(tb)) == 1:
                return b.reshape(t, (1,) + t.shape[-2:], loc)
            full = (1,) * (len(batch) - len(tb)) + tb
            if full != batch:
                # materialize the broadcast by a multiply with ones
                ones = ctx.b.const(np.ones(batch + t.shape[-2:], np.float32),
                                   loc)
                t = b.binary("mul", t, ones, loc)
            return b.reshape(t, (nb,) + t.shape[-2:], loc)
        r = b.batch_matmul(as3(x), as3(y), loc)
    r = b.reshape(r, out, loc)
    if out_vec_l:
        r = b.reshape(r, out[:-2] + out[-1:], loc)
    if out_vec_r:
        r = b.reshape(r, r.shape[:-1], loc)
    return r


def _matmul(ctx, node, a):
    return _matmul_nd(ctx, node, _float_in(ctx, node, 0),
                      _float_in(ctx, node, 1))


def _gemm(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    w = _float_in(ctx, node, 1)
    ta, tb = bool(a.get("transA", 0)), bool(a.get("transB", 0))
    alpha, beta = a.get("alpha", 1.0), a.get("beta", 1.0)
    y = b.matmul(x, w, loc, transpose_lhs=ta, transpose_rhs=tb)
    if alpha != 1.0:
        y = b.binary("mul", y, ctx.scalar(alpha, node), loc)
    if len(node.input) > 2 and node.input[2] and beta != 0.0:
        c = _float_in(ctx, node, 2)
        if beta != 1.0:
            c = b.binary("mul", c, ctx.scalar(beta, node), loc)
        y = b.binary("add", y, c, loc)
    return y


def _spatial_pads(ctx, node, a, in_sp, kernel, strides, dilations):
    n = len(in_sp)
    ap = a.get("auto_pad", "NOTSET")
    if ap in ("NOTSET", ""):
        pads = list(a.get("pads", [0] * (2 * n)))
        return pads[:n], pads[n:]
    if ap == "VALID":
        return [0] * n, [0] * n
    begin, end = [], []
    for i in range(n):
        out = -(-in_sp[i] // strides[i])
        total = max(0, (out - 1) * strides[i] + (kernel[i] - 1) *
                    dilations[i] + 1 - in_sp[i])
        lo = total // 2 if ap == "SAME_UPPER" else total - total // 2
        begin.append(lo)
        end.append(total - lo)
    return begin, end


def _to2d(ctx, node, x, what):
    """Views an [N, C, L] tensor as [N, C, 1, L] (1-D conv/pool)."""
    if x.rank == 3:
        return ctx.b.reshape(x, (x.shape[0], x.shape[1], 1, x.shape[2]),
                             ctx.loc(node)), True
    if x.rank != 4:
        ctx.fail(node, f"{what} on a rank-{x.rank} input (1-D and 2-D only)")
    return x, False


def _depth_slices(ctx, node, x, kd, sd, dd, od):
    """For each depth tap k: x[:, :, k*dd + i*sd] for i < od, as
    [N*od, C, H, W] (x is [N, C, D, H, W], already padded)."""
    b, loc = ctx.b, ctx.loc(node)
    n, c, d, h, w = x.shape
    out = []
    for k in range(kd):
        t = b.slice(x, [0, 0, k * dd, 0, 0], [n, c, od, h, w],
                    [1, 1, sd, 1, 1], loc)
        t = b.transpose(t, (0, 2, 1, 3, 4), loc)
        out.append(b.reshape(t, (n * od, c, h, w), loc))
    return out


def _from_depth(ctx, node, y, n, od):
    """[N*od, C, H, W] -> [N, C, od, H, W]"""
    b, loc = ctx.b, ctx.loc(node)
    _, c, h, w = y.shape
    t = b.reshape(y, (n, od, c, h, w), loc)
    return b.transpose(t, (0, 2, 1, 3, 4), loc)


def _conv3d(ctx, node, a, x, w, bias):
    """3-D convolution as a sum over depth taps of 2-D convolutions."""
    b, loc = ctx.b, ctx.loc(node)
    kernel = list(a.get("kernel_shape", w.shape[2:]))
    strides = list(a.get("strides", [1] * 3))
    dil = list(a.get("dilations", [1] * 3))
    begin, end = _spatial_pads(ctx, node, a, x.shape[2:], kernel, strides,
                               dil)
    x = b.pad(x, [0, 0, begin[0], 0, 0], [0, 0, end[0], 0, 0], 0.0, loc)
    n, d = x.shape[0], x.shape[2]
    od = (d - dil[0] * (kernel[0] - 1) - 1) // strides[0] + 1
    o, cg = w.shape[:2]
    acc = None
    for k, xs in enumerate(_depth_slices(ctx, node, x, kernel[0], strides[0],
                                         dil[0], od)):
        wk = b.slice(w, [0, 0, k, 0, 0], [o, cg, 1] + list(w.shape[3:]),
                     [1] * 5, loc)
        wk = b.reshape(wk, (o, cg) + tuple(w.shape[3:]), loc)
        y = b.conv2d(xs, wk, None, loc, strides[1:],
                     (begin[1], begin[2], end[1], end[2]), dil[1:],
                     int(a.get("group", 1)))
        acc = y if acc is None else b.binary("add", acc, y, loc)
    y = _from_depth(ctx, node, acc, n, od)
    if bias is not None:
        y = b.binary("add", y, b.reshape(bias, (o, 1, 1, 1), loc), loc)
    return y


def _conv(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    w = _float_in(ctx, node, 1)
    bias = _float_in(ctx, node, 2) if len(node.input) > 2 and \
        node.input[2] else None
    if x.rank == 5:
        return _conv3d(ctx, node, a, x, w, bias)
    n = x.rank - 2
    kernel = list(a.get("kernel_shape", w.shape[2:]))
    strides = list(a.get("strides", [1] * n))
    dil = list(a.get("dilations", [1] * n))
    begin, end = _spatial_pads(ctx, node, a, x.shape[2:], kernel, strides,
                               dil)
    x, one = _to2d(ctx, node, x, "Conv")
    if one:
        w = b.reshape(w, (w.shape[0], w.shape[1], 1, w.shape[2]), loc)
        strides, dil = [1] + strides, [1] + dil
        begin, end = [0] + begin, [0] + end
    y = b.conv2d(x, w, bias, loc, strides, (begin[0], begin[1], end[0],
                                            end[1]), dil,
                 int(a.get("group", 1)))
    if one:
        y = b.reshape(y, (y.shape[0], y.shape[1], y.shape[3]), loc)
    return y


def _pool(kind):
    def h(ctx, node, a):
        b, loc = ctx.b, ctx.loc(node)
        if len(node.output) > 1 and node.output[1]:
            ctx.fail(node, "MaxPool Indices output")
        x = _float_in(ctx, node, 0)
        n = x.rank - 2
        kernel = list(a["kernel_shape"])
        strides = list(a.get("strides", [1] * n))
        dil = list(a.get("dilations", [1] * n))
        begin, end = _spatial_pads(ctx, node, a, x.shape[2:], kernel,
                                   strides, dil)
        cip = bool(a.get("count_include_pad", 0))
        if any(d != 1 for d in dil) or n == 3:
            if kind != "max" and (any(begin + end) and not cip or
                                  any(d != 1 for d in dil)):
                ctx.fail(node, f"{node.op_type} with dilations, or 3-D "
                         "with padding not counted")
            if a.get("ceil_mode", 0):
                ctx.fail(node, f"{node.op_type} ceil_mode with dilations "
                         "or in 3-D")
            return _pool_by_slices(ctx, node, kind, x, kernel, strides,
                                   dil, begin, end)
        if a.get("ceil_mode", 0):
            for i in range(n):
                span = x.shape[2 + i] + begin[i] + end[i] - kernel[i]
                fl = span // strides[i] + 1
                cl = -(-span // strides[i]) + 1
                # the last window must start inside input or left padding
                if (cl - 1) * strides[i] >= x.shape[2 + i] + begin[i]:
                    cl -= 1
                if cl > fl:
                    if kind == "avg" and cip:
                        ctx.fail(node, "AveragePool ceil_mode with "
                                 "count_include_pad")
                    end[i] += (cl - 1) * strides[i] + kernel[i] - (
                        x.shape[2 + i] + begin[i] + end[i])
        x, one = _to2d(ctx, node, x, node.op_type)
        if one:
            kernel, strides = [1] + kernel, [1] + strides
            begin, end = [0] + begin, [0] + end
        y = b.pool2d(kind, x, loc, kernel, strides,
                     (begin[0], begin[1], end[0], end[1]), cip)
        if one:
            y = b.reshape(y, (y.shape[0], y.shape[1], y.shape[3]), loc)
        return y
    return h


def _pool_by_slices(ctx, node, kind, x, kernel, strides, dil, begin,
                    end):
    """Pooling (any rank, dilations) as the max / mean of the kernel's
    strided slices of the padded input (-inf padding for max, 0 for avg
    with count_include_pad)."""
    import itertools

    b, loc = ctx.b, ctx.loc(node)
    r = x.rank
    pad_val = float("-inf") if kind == "max" else 0.0
    x = b.pad(x, [0, 0] + list(begin), [0, 0] + list(end), pad_val, loc)
    sp = x.shape[2:]
    out = [(sp[i] - dil[i] * (kernel[i] - 1) - 1) // strides[i] + 1
           for i in range(r - 2)]
    acc = None
    for taps in itertools.product(*[range(k) for k in kernel]):
        offs = [0, 0] + [t * d for t, d in zip(taps, dil)]
        t = b.slice(x, offs, list(x.shape[:2]) + out, [1, 1] + list(strides),
                    loc)
        if acc is None:
            acc = t
        else:
            acc = b.binary("max" if kind == "max" else "add", acc, t, loc)
    if kind != "max":
        acc = b.binary("div", acc, ctx.scalar(int(np.prod(kernel)), node),
                       loc)
    return acc


def _global_pool(kind):
    def h(ctx, node, a):
        x = _float_in(ctx, node, 0)
        if x.rank == 4:
            return ctx.b.global_pool2d(kind, x, ctx.loc(node))
        return ctx.b.reduce("reduce_mean" if kind == "avg" else "reduce_max",
                            x, list(range(2, x.rank)), True, ctx.loc(node))
    return h


def _batchnorm(ctx, node, a):
    if a.get("training_mode", 0) or (len(node.output) > 1 and
                                      any(node.output[1:])):
        ctx.fail(node, "BatchNormalization in training mode")
    x = _float_in(ctx, node, 0)
    s, bb, m, v = (_float_in(ctx, node, i) for i in range(1, 5))
    return ctx.b.batch_norm(x, m, v, s, bb, a.get("epsilon", 1e-5),
                            ctx.loc(node))


def _layernorm(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    axis = a.get("axis", -1) % x.rank
    norm = x.shape[axis:]
    extra = []
    if len(node.output) > 1 and any(node.output[1:]):
        # Mean and InvStdDev (keepdims over [axis, rank)), computed as
        # dojo.layer_norm does: two-pass variance, rsqrt(var + eps).
        axes = list(range(axis, x.rank))
        mean = b.reduce("reduce_mean", x, axes, True, loc)
        d = b.binary("sub", x, mean, loc)
        var = b.reduce("reduce_mean", b.binary("mul", d, d, loc), axes,
                       True, loc)
        inv = b.unary("rsqrt", b.binary(
            "add", var, ctx.scalar(a.get("epsilon", 1e-5), node), loc), loc)
        extra = [mean, inv]

    def param(i):
        if len(node.input) <= i or not node.input[i]:
            return None
        p = _float_in(ctx, node, i)
        if p.shape != norm:
            ones = b.const(np.ones(norm, np.float32), loc)
            p = b.binary("mul", p, ones, loc)
        return p
    y = b.layer_norm(x, param(1), param(2), axis, a.get("epsilon", 1e-5),
                     loc)
    return [y] + extra


def _softmax(ctx, node, a, log=False):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    if x.rank == 0:
        ctx.fail(node, f"{node.op_type} of a scalar")
    if ctx.opset >= 13:
        axis = a.get("axis", -1) % x.rank
        xs, back = x, None
    else:
        axis = a.get("axis", 1) % x.rank
        rows = int(np.prod(x.shape[:axis]))
        xs = b.reshape(x, (rows, int(np.prod(x.shape[axis:]))), loc)
        back, axis = x.shape, 1
    if log:
        m = b.reduce("reduce_max", xs, [axis], True, loc)
        d = b.binary("sub", xs, m, loc)
        s = b.reduce("reduce_sum", b.unary("exp", d, loc), [axis], True, loc)
        y = b.binary("sub", d, b.unary("log", s, loc), loc)
    else:
        y = b.softmax(xs, axis, loc)
    return b.reshape(y, back, loc) if back else y


def _reshape(ctx, node, a):
    x = ctx.val(node.input[0], node, typed=True)
    shape = ctx.const(node.input[1], node) if len(node.input) > 1 else \
        a["shape"]
    return ctx.b.reshape(x, _reshape_target(x.shape, shape,
                                            a.get("allowzero", 0)),
                         ctx.loc(node))


def _flatten(ctx, node, a):
    x = ctx.val(node.input[0], node, typed=True)
    axis = a.get("axis", 1)
    axis = axis + x.rank if axis < 0 else axis
    return ctx.b.reshape(x, (int(np.prod(x.shape[:axis])),
                             int(np.prod(x.shape[axis:]))), ctx.loc(node))


def _squeeze(ctx, node, a):
    x = ctx.val(node.input[0], node, typed=True)
    axes = a.get("axes")
    if axes is None and len(node.input) > 1 and node.input[1]:
        axes = [int(v) for v in ctx.const(node.input[1], node).ravel()]
    if axes is None:
        shape = [d for d in x.shape if d != 1]
    else:
        axes = [ax % x.rank for ax in axes]
        shape = [d for i, d in enumerate(x.shape) if i not in axes]
    return ctx.b.reshape(x, shape, ctx.loc(node))


def _unsqueeze(ctx, node, a):
    x = ctx.val(node.input[0], node, typed=True)
    axes = a.get("axes")
    if axes is None:
        axes = [int(v) for v in ctx.const(node.input[1], node).ravel()]
    r = x.rank + len(axes)
    shape = list(x.shape)
    for ax in sorted(ax % r for ax in axes):
        shape.insert(ax, 1)
    return ctx.b.reshape(x, shape, ctx.loc(node))


def _transpose(ctx, node, a):
    x = ctx.val(node.input[0], node)
    perm = a.get("perm", list(range(x.rank))[::-1])
    return ctx.b.transpose(x, perm, ctx.loc(node))


def _concat(ctx, node, a):
    xs = [_float_in(ctx, node, i) for i in range(len(node.input))
          if node.input[i]]
    xs = [x for x in xs if int(np.prod(x.shape)) > 0] or xs[:1]
    return ctx.b.concat(xs, a["axis"], ctx.loc(node))


def _slice(ctx, node, a):
    x = _float_in(ctx, node, 0)
    if "starts" in a:
        sl = _slice_params(x.shape, a["starts"], a["ends"], a.get("axes"),
                           None)
    else:
        sl = _slice_params(x.shape, ctx.const(node.input[1], node),
                           ctx.const(node.input[2], node),
                           ctx.opt_const(node, 3), ctx.opt_const(node, 4))
    offsets, sizes, strides = [], [], []
    for d, s in zip(x.shape, sl):
        start, stop, step = s.indices(d)
        if step < 0:
            ctx.fail(node, "Slice with a negative step")
        cnt = max(0, (stop - start + step - 1) // step)
        offsets.append(start if cnt else 0)
        sizes.append(cnt)
        strides.append(step)
    if 0 in sizes:
        ctx.fail(node, "Slice producing an empty tensor")
    return ctx.b.slice(x, offsets, sizes, strides, ctx.loc(node))


def _split(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    axis = a.get("axis", 0) % x.rank
    n = x.shape[axis]
    split = a.get("split")
    if split is None and len(node.input) > 1 and node.input[1]:
        split = [int(v) for v in ctx.const(node.input[1], node).ravel()]
    if split is None:
        k = len(node.output)
        size = -(-n // k)
        split = [min(size, n - i * size) for i in range(k)]
    outs, off = [], 0
    for sz in split:
        o = [0] * x.rank
        o[axis] = off
        shp = list(x.shape)
        shp[axis] = sz
        outs.append(b.slice(x, o, shp, [1] * x.rank, loc))
        off += sz
    return outs


def _gather(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    axis = a.get("axis", 0) % x.rank
    iname = node.input[1]
    if ctx.known(iname):
        idx = np.asarray(ctx.consts[iname]).astype(np.int64)
        idx = np.where(idx < 0, idx + x.shape[axis], idx)
        ctx.consts[iname + "#norm"] = idx
        iv = b.param(f"{loc}.indices", idx, "i64")
    else:
        iv = ctx.val(iname, node, index=True)
    # Move `axis` to the front, view as a [V, D] table.
    perm = [axis] + [i for i in range(x.rank) if i != axis]
    xt = b.transpose(x, perm, loc)
    rest = xt.shape[1:]
    table = b.reshape(xt, (xt.shape[0], int(np.prod(rest))), loc)
    g = b.gather(table, iv, loc)
    g = b.reshape(g, tuple(iv.shape) + tuple(rest), loc)
    # result dims: indices dims at `axis`
    ni = iv.rank
    out_perm = list(range(ni, ni + axis)) + list(range(ni)) + \
        list(range(ni + axis, ni + len(rest)))
    return b.transpose(g, out_perm, loc)


def _pad(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    mode = a.get("mode", "constant")
    if mode not in ("constant", "edge", "reflect"):
        ctx.fail(node, f"Pad mode '{mode}'")
    if "pads" in a:
        pads = list(a["pads"])
        value = a.get("value", 0.0)
    else:
        pads = [int(v) for v in ctx.const(node.input[1], node).ravel()]
        value = ctx.opt_const(node, 2, np.array(0.0))
        value = float(np.asarray(value).ravel()[0]) if np.size(value) else 0.
    axes = ctx.opt_const(node, 3)
    r = x.rank
    if axes is not None:
        axes = [int(v) % r for v in np.asarray(axes).ravel()]
        full = [0] * (2 * r)
        for i, ax in enumerate(axes):
            full[ax] = pads[i]
            full[r + ax] = pads[len(axes) + i]
        pads = full
    low, high = pads[:r], pads[r:]
    if any(p < 0 for p in pads):
        offs = [max(0, -p) for p in low]
        sizes = [d - max(0, -lo) - max(0, -hi)
                 for d, lo, hi in zip(x.shape, low, high)]
        x = b.slice(x, offs, sizes, [1] * r, loc)
        low, high = [max(0, p) for p in low], [max(0, p) for p in high]
    if mode == "constant":
        return b.pad(x, low, high, value, loc)
    for ax in range(r):
        if not low[ax] and not high[ax]:
            continue
        n = x.shape[ax]
        i = np.arange(-low[ax], n + high[ax])
        if mode == "edge":
            i = np.clip(i, 0, n - 1)
        else:
            if n == 1:
                i = np.zeros_like(i)
            else:
                period = 2 * (n - 1)
                i = np.abs(i) % period
                i = np.where(i >= n, period - i, i)
        x = _take(ctx, node, x, ax, i)
    return x


def _reduce(op):
    def h(ctx, node, a):
        b, loc = ctx.b, ctx.loc(node)
        x = _float_in(ctx, node, 0)
        axes = a.get("axes")
        if axes is None and len(node.input) > 1 and node.input[1]:
            axes = [int(v) for v in ctx.const(node.input[1], node).ravel()]
        keep = bool(a.get("keepdims", 1))
        if not axes:
            if a.get("noop_with_empty_axes", 0):
                return b.binary("mul", x, ctx.scalar(1.0, node), loc)
            axes = list(range(x.rank))
        axes = [ax % x.rank for ax in axes]
        if op == "min":
            n = b.binary("mul", x, ctx.scalar(-1.0, node), loc)
            m = b.reduce("reduce_max", n, axes, keep, loc)
            return b.binary("mul", m, ctx.scalar(-1.0, node), loc)
        if op in ("sumsquare", "l2"):
            s = b.reduce("reduce_sum", b.binary("mul", x, x, loc), axes,
                         keep, loc)
            return b.unary("sqrt", s, loc) if op == "l2" else s
        if op == "l1":
            return b.reduce("reduce_sum", _abs(ctx, node, a), axes, keep,
                            loc)
        if op == "logsumexp":
            m = b.reduce("reduce_max", x, axes, True, loc)
            e = b.unary("exp", b.binary("sub", x, m, loc), loc)
            s = b.unary("log", b.reduce("reduce_sum", e, axes, True, loc),
                        loc)
            r = b.binary("add", s, m, loc)
            if not keep:
                r = b.reshape(r, [d for i, d in enumerate(r.shape)
                                  if i not in axes], loc)
            return r
        if op == "logsum":
            return b.unary("log", b.reduce("reduce_sum", x, axes, keep, loc),
                           loc)
        return b.reduce(op, x, axes, keep, loc)
    return h


def _cast(ctx, node, a):
    x = ctx.val(node.input[0], node, typed=True)
    to = a["to"]
    if to == _FLOAT and x.et in ("f32", "bf16"):
        return x
    if to == _FLOAT:
        return ctx.b.convert(x, ctx.b.ft, ctx.loc(node))
    if to in _INT_ET:
        return ctx.b.convert(x, _INT_ET[to], ctx.loc(node))
    ctx.fail(node, f"Cast from {x.et} to {_TYPE_NAMES.get(to, to)}")


def _expand(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    shape = [int(v) for v in ctx.const(node.input[1], node).ravel()]
    out = tuple(np.broadcast_shapes(x.shape, tuple(shape)))
    if out == x.shape:
        return x
    ones = b.const(np.ones(out, np.float32), loc)
    return b.binary("mul", x, ones, loc)


def _tile(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    reps = [int(v) for v in ctx.const(node.input[1], node).ravel()]
    for ax, r in enumerate(reps):
        if r != 1:
            x = b.concat([x] * r, ax, loc)
    return x


def _mean(ctx, node, a):
    r = _variadic("add")(ctx, node, a)
    return ctx.b.binary("div", r, ctx.scalar(len(node.input), node),
                        ctx.loc(node))


def _erf_free(name):
    def h(ctx, node, a):
        ctx.fail(node, f"op {name}")
    return h


HANDLERS = {
    "Add": _binary("add"), "Sub": _binary("sub"), "Mul": _binary("mul"),
    "Div": _binary("div"), "Max": _variadic("max"), "Min": _variadic("min"),
    "Sum": _variadic("add"), "Mean": _mean,
    "Relu": _unary("relu"), "Sigmoid": _unary("sigmoid"),
    "Tanh": _unary("tanh"), "Exp": _unary("exp"), "Log": _unary("log"),
    "Sqrt": _unary("sqrt"), "Reciprocal": _unary("reciprocal"),
    "Neg": _neg, "Abs": _abs, "Identity": _identity, "Dropout": _dropout,
    "Clip": _clip, "LeakyRelu": _leaky_relu, "PRelu": _prelu, "Pow": _pow,
    "Softsign": _softsign, "HardSigmoid": _hardsigmoid,
    "HardSwish": _hardswish, "Softplus": _softplus,
    "MatMul": _matmul, "Gemm": _gemm, "Conv": _conv,
    "MaxPool": _pool("max"), "AveragePool": _pool("avg"),
    "GlobalAveragePool": _global_pool("avg"),
    "GlobalMaxPool": _global_pool("max"),
    "BatchNormalization": _batchnorm, "LayerNormalization": _layernorm,
    "Softmax": _softmax,
    "LogSoftmax": lambda c, n, a: _softmax(c, n, a, log=True),
    "Reshape": _reshape, "Flatten": _flatten, "Squeeze": _squeeze,
    "Unsqueeze": _unsqueeze, "Transpose": _transpose, "Concat": _concat,
    "Slice": _slice, "Split": _split, "Gather": _gather, "Pad": _pad,
    "ReduceSum": _reduce("reduce_sum"), "ReduceMax": _reduce("reduce_max"),
    "ReduceMean": _reduce("reduce_mean"), "ReduceMin": _reduce("min"),
    "ReduceSumSquare": _reduce("sumsquare"), "ReduceL2": _reduce("l2"),
    "ReduceL1": _reduce("l1"), "ReduceLogSumExp": _reduce("logsumexp"),
    "ReduceLogSum": _reduce("logsum"),
    "Cast": _cast, "Expand": _expand, "Tile": _tile,
    "Elu": _elu, "Selu": _selu, "Celu": _celu, "Mish": _mish,
    "Resize": _resize, "ConvTranspose": _conv_transpose,
    "InstanceNormalization": _instance_norm,
    "DepthToSpace": _depth_to_space, "SpaceToDepth": _space_to_depth,
    "GatherElements": _gather_elements, "EyeLike": _eyelike,
    "Trilu": _trilu,
    # Foldable ops whose inputs are not all known: say which one must be.
    "ConstantOfShape": lambda c, n, a: c.const(n.input[0], n),
    "Range": lambda c, n, a: [c.const(i, n) for i in n.input],
}


# ---------------------------------------------------------------------------
# Ops on booleans and integers, comparisons, more math (graph-level dojo ops
# that run on the reference interpreter only)
# ---------------------------------------------------------------------------

def _is_int(ctx, node, i):
    name = node.input[i]
    if name in ctx.vals:
        return ctx.vals[name].et in INT_TYPES
    return name in ctx.consts and np.asarray(
        ctx.consts[name]).dtype.kind in "iub"


def _any_in(ctx, node, i):
    """Operand `i` with its own element type (float, bool or integer)."""
    name = node.input[i]
    if name in ctx.consts and name not in ctx.vals:
        c = np.asarray(ctx.consts[name])
        if c.dtype.kind in "iub" and element_type_of(c.dtype) is None:
            ctx.fail(node, f"{c.dtype} tensor '{name}'")
        if c.dtype.kind == "f" and c.dtype != np.float32:
            ctx._check_float(c.dtype, node)
    return ctx.val(name, node, typed=True)


def _same_type(ctx, node, vals):
    ets = {v.et for v in vals}
    if len(ets) != 1:
        ctx.fail(node, f"{node.op_type} of mixed element types "
                 f"{sorted(ets)}")
    return vals


def _compare(pred):
    def h(ctx, node, a):
        x, y = _same_type(ctx, node, [_any_in(ctx, node, 0),
                                      _any_in(ctx, node, 1)])
        return ctx.b.compare(pred, x, y, ctx.loc(node))
    return h


def _bool_in(ctx, node, i):
    v = _any_in(ctx, node, i)
    if v.et != "i1":
        ctx.fail(node, f"{node.op_type} of a {v.et} tensor (bool only)")
    return v


def _logical(op):
    def h(ctx, node, a):
        return ctx.b.logical(op, _bool_in(ctx, node, 0),
                             _bool_in(ctx, node, 1), ctx.loc(node))
    return h


def _not(ctx, node, a):
    return ctx.b.logical_not(_bool_in(ctx, node, 0), ctx.loc(node))


def _where(ctx, node, a):
    c = _bool_in(ctx, node, 0)
    x, y = _same_type(ctx, node, [_any_in(ctx, node, 1),
                                  _any_in(ctx, node, 2)])
    return ctx.b.select(c, x, y, ctx.loc(node))


def _int_extreme(ctx, node, op):
    """Max/Min of integer tensors: exact, by compare and select."""
    b, loc = ctx.b, ctx.loc(node)
    vals = _same_type(ctx, node, [_any_in(ctx, node, i)
                                  for i in range(len(node.input))])
    r = vals[0]
    for v in vals[1:]:
        r = b.select(b.compare("ge" if op == "max" else "le", r, v, loc), r,
                     v, loc)
    return r


def _argreduce(kind):
    def h(ctx, node, a):
        x = _float_in(ctx, node, 0)
        return ctx.b.arg_reduce(kind, x, a.get("axis", 0),
                                bool(a.get("keepdims", 1)),
                                bool(a.get("select_last_index", 0)),
                                ctx.loc(node))
    return h


def _iota(ctx, node, n, rank, axis, et, offset=0):
    """The constant [0, n) + offset along `axis` of a rank-`rank` tensor
    (size 1 elsewhere)."""
    shape = [1] * rank
    shape[axis] = n
    v = (np.arange(n) + offset).reshape(shape)
    if et in INT_TYPES:
        return ctx.b.const(v.astype(INT_TYPES[et]), ctx.loc(node), et)
    return ctx.b.const(v.astype(np.float32), ctx.loc(node))


def _hardmax(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    back = None
    if ctx.opset >= 13:
        axis = a.get("axis", -1) % x.rank
    else:
        axis = a.get("axis", 1) % x.rank
        back = x.shape
        x = b.reshape(x, (int(np.prod(x.shape[:axis])),
                          int(np.prod(x.shape[axis:]))), loc)
        axis = 1
    i = b.arg_reduce("argmax", x, axis, True, False, loc)
    y = b.convert(b.compare("eq", i, _iota(ctx, node, x.shape[axis], x.rank,
                                           axis, "i64"), loc), b.ft, loc)
    return b.reshape(y, back, loc) if back else y


def _isnan(ctx, node, a):
    x = _float_in(ctx, node, 0)
    return ctx.b.compare("ne", x, x, ctx.loc(node))


def _isinf(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    r = None
    for attr, v in (("detect_positive", np.inf), ("detect_negative",
                                                  -np.inf)):
        if a.get(attr, 1):
            m = b.compare("eq", x, ctx.scalar(v, node), loc)
            r = m if r is None else b.logical("or", r, m, loc)
    if r is None:
        r = b.compare("ne", x, x, loc)
        r = b.logical("and", r, b.logical_not(r, loc), loc)
    return r


def _thresholded_relu(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    m = b.compare("gt", x, ctx.scalar(a.get("alpha", 1.0), node), loc)
    return b.select(m, x, ctx.scalar(0.0, node), loc)


def _shrink(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    lambd, bias = a.get("lambd", 0.5), a.get("bias", 0.0)
    hi = b.select(b.compare("gt", x, ctx.scalar(lambd, node), loc),
                  b.binary("sub", x, ctx.scalar(bias, node), loc),
                  ctx.scalar(0.0, node), loc)
    return b.select(b.compare("lt", x, ctx.scalar(-lambd, node), loc),
                    b.binary("add", x, ctx.scalar(bias, node), loc), hi, loc)


def _mod(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    if _is_int(ctx, node, 0):
        ctx.fail(node, "Mod of integer tensors")
    x = _float_in(ctx, node, 0)
    y = _float_in(ctx, node, 1)
    r = b.binary("fmod", x, y, loc)
    if a.get("fmod", 0):
        return r
    # Python-style: a nonzero remainder takes the divisor's sign.
    zero = ctx.scalar(0.0, node)
    fix = b.logical("and", b.compare("ne", r, zero, loc), b.logical(
        "xor", b.compare("lt", r, zero, loc), b.compare("lt", y, zero, loc),
        loc), loc)
    return b.select(fix, b.binary("add", r, y, loc), r, loc)


def _onehot(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    idx = _any_in(ctx, node, 0)
    depth = int(np.asarray(ctx.const(node.input[1], node)).ravel()[0])
    values = np.asarray(ctx.const(node.input[2], node))
    r = idx.rank + 1
    axis = a.get("axis", -1) % r
    shape = list(idx.shape)
    shape.insert(axis, 1)
    iv = b.reshape(idx, shape, loc)
    # Negative indices count from the end: -1 is depth - 1.
    m = b.logical("or", b.compare("eq", iv, _iota(ctx, node, depth, r, axis,
                                                  idx.et), loc),
                  b.compare("eq", iv, _iota(ctx, node, depth, r, axis,
                                            idx.et, -depth), loc), loc)
    et = element_type_of(values.dtype) if values.dtype.kind in "iub" \
        else b.ft
    if et is None:
        ctx.fail(node, f"OneHot values of type {values.dtype}")
    on = b.const(values.ravel()[1], loc, et if et in INT_TYPES else None)
    off = b.const(values.ravel()[0], loc, et if et in INT_TYPES else None)
    return b.select(m, on, off, loc)


def _nll(ctx, node, x, target, weight, reduction, ii):
    """NegativeLogLikelihoodLoss of log-probabilities x [N, C, d...] and
    integer targets [N, d...]: the target's class picked by a one-hot mask
    (dojo.compare with the class index, converted to the float type)."""
    b, loc = ctx.b, ctx.loc(node)
    if target.et not in INT_TYPES or target.et == "i1":
        ctx.fail(node, f"{node.op_type} target of type {target.et}")
    c = x.shape[1]
    t = b.reshape(target, (target.shape[0], 1) + tuple(target.shape[1:]),
                  loc)
    hot = b.convert(b.compare("eq", t, _iota(ctx, node, c, x.rank, 1,
                                             target.et), loc), b.ft, loc)
    picked = b.reduce("reduce_sum", b.binary("mul", x, hot, loc), [1], False,
                      loc)
    w = None
    if weight is not None:
        wc = b.reshape(weight, (1, c) + (1,) * (x.rank - 2), loc)
        w = b.reduce("reduce_sum", b.binary("mul", hot, wc, loc), [1], False,
                     loc)
    if ii is not None:
        valid = b.convert(b.compare("ne", target, b.const(
            np.array(ii), loc, target.et), loc), b.ft, loc)
        w = valid if w is None else b.binary("mul", w, valid, loc)
    loss = b.binary("mul", picked, ctx.scalar(-1.0, node), loc)
    if w is not None:
        loss = b.binary("mul", loss, w, loc)
    if reduction == "none":
        return loss
    axes = list(range(loss.rank))
    total = b.reduce("reduce_sum", loss, axes, False, loc)
    if reduction == "sum":
        return total
    if reduction != "mean":
        ctx.fail(node, f"{node.op_type} reduction '{reduction}'")
    if w is None:
        return b.reduce("reduce_mean", loss, axes, False, loc)
    return b.binary("div", total, b.reduce("reduce_sum", w, axes, False,
                                           loc), loc)


def _nll_loss(ctx, node, a):
    x = _float_in(ctx, node, 0)
    target = _any_in(ctx, node, 1)
    weight = _float_in(ctx, node, 2) if len(node.input) > 2 and \
        node.input[2] else None
    return _nll(ctx, node, x, target, weight, a.get("reduction", "mean"),
                a.get("ignore_index"))


def _sce_loss(ctx, node, a):
    b, loc = ctx.b, ctx.loc(node)
    x = _float_in(ctx, node, 0)
    target = _any_in(ctx, node, 1)
    weight = _float_in(ctx, node, 2) if len(node.input) > 2 and \
        node.input[2] else None
    # log_softmax over the classes (axis 1), as LogSoftmax imports.
    m = b.reduce("reduce_max", x, [1], True, loc)
    d = b.binary("sub", x, m, loc)
    s = b.reduce("reduce_sum", b.unary("exp", d, loc), [1], True, loc)
    lp = b.binary("sub", d, b.unary("log", s, loc), loc)
    loss = _nll(ctx, node, lp, target, weight, a.get("reduction", "mean"),
                a.get("ignore_index"))
    return [loss, lp]


def _erf(ctx, node, a):
    return ctx.b.unary("erf", _float_in(ctx, node, 0), ctx.loc(node))


HANDLERS.update({
    "Equal": _compare("eq"), "Less": _compare("lt"),
    "LessOrEqual": _compare("le"), "Greater": _compare("gt"),
    "GreaterOrEqual": _compare("ge"),
    "And": _logical("and"), "Or": _logical("or"), "Xor": _logical("xor"),
    "Not": _not, "Where": _where,
    "ArgMax": _argreduce("argmax"), "ArgMin": _argreduce("argmin"),
    "Hardmax": _hardmax, "IsNaN": _isnan, "IsInf": _isinf,
    "ThresholdedRelu": _thresholded_relu, "Shrink": _shrink, "Mod": _mod,
    "OneHot": _onehot, "NegativeLogLikelihoodLoss": _nll_loss,
    "SoftmaxCrossEntropyLoss": _sce_loss,
    "ReduceProd": _reduce("reduce_prod"), "Erf": _erf,
    **{op: _unary(op.lower()) for op in (
        "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh",
        "Acosh", "Atanh", "Floor", "Ceil", "Round", "Sign")},
})


def import_onnx(model, example_inputs=None, float_type="f32",
                const_inputs=None):
    """Imports an ONNX model (path or ModelProto). `const_inputs` maps
    graph input names to values fixed at compile time (e.g. a Reshape's
    shape input); they are not arguments of the result."""
    import onnx

    if not isinstance(model, onnx.ModelProto):
        model = onnx.load(str(model))
    return _Ctx(model, float_type, const_inputs).run(example_inputs)
