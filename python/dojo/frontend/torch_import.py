"""PyTorch importer: torch.fx (symbolic_trace) -> graph-level dojo MLIR.

    from dojo.frontend.torch_import import import_module
    imported = import_module(model, (x,), float_type="bf16")
    imported.text        # func.func @main in the dojo dialect
    imported.params      # {"layer1.0.conv1.weight": ndarray, ...}

The function's arguments are the model inputs (named after the forward()
parameters) followed by every parameter and buffer the graph uses, named
with `dojo.name` after its module path ("layer1.0.conv1.weight"). Values are
passed at run time; the IR holds no constants (scalars of the model become
arguments named "<node>.const"). Shapes come from running the example
inputs through the traced graph (torch.fx ShapeProp), so view/reshape/
flatten take their static result shape from there.

nn.Linear weights are passed transposed: the argument "fc1.weight" holds
`weight.T` (`[in, out]`; listed in ImportedGraph.transposed) so that Linear
is a plain `dojo.matmul` + bias `dojo.add`, the form the compiler pipeline
lowers to the ISA.

Every op gets a NameLoc: the module path for module calls
(`loc("layer1.0.conv1")`), the fx node name otherwise (`loc("add_3")`).
Anything not covered raises dojo.CompileError naming the op and the node;
so does a size, index or option computed at run time (sizes from
x.size(i) and arithmetic on them are static and resolved everywhere).

A bare torch.nn layer as the model (nn.Conv2d, nn.BatchNorm2d, ...) is
imported as one module call, as it is inside a model; its parameters keep
their own names ("weight") and its location is the class name.

Casts: torch.float32/float64 are the compile's float type (bf16 or f32),
torch.bfloat16 is BF16, torch.float8_e4m3fn / float8_e5m2 are CFP8
(f8E4M3FN / f8E5M2, saturating on overflow as the machine does); casts
between them are dojo.cast, to and from integers dojo.convert. Ops after
a cast to another float type compute in the compile's float type (the
cast's rounding is kept; the value is cast back exactly).
"""

import math
import operator

import numpy as np

from .builder import GraphBuilder, Value, compile_error

LINEAR_NOTE = ("nn.Linear weights are passed transposed ([in, out]) under "
               "the module path name, so Linear is matmul + bias add")


class ImportedGraph:
    """What an importer returns: the IR text, the parameter values by
    argument name, and the input/output names in order."""

    def __init__(self, text, params, input_names, output_names,
                 input_types, transposed=(), output_types=None):
        self.text = text
        # MLIR element type of each output (None: not recorded).
        self.output_types = output_types
        self.params = params
        self.input_names = input_names
        self.output_names = output_names
        self.input_types = input_types   # name -> (shape, element type)
        self.transposed = set(transposed)


def _torch():
    import torch
    return torch


def _np(t):
    torch = _torch()
    t = t.detach()
    if t.dtype in (torch.float16, torch.bfloat16, torch.float64):
        t = t.float()
    return t.cpu().numpy()


def _pair(v):
    return (int(v), int(v)) if isinstance(v, int) else tuple(int(x) for x in v)


# Float element types a value may have: the compile's (f32 or bf16), BF16
# after a cast in an FP32 model, and CFP8 after a cast to torch's float8.
FLOAT_ETS = ("f32", "bf16", "f8E4M3FN", "f8E5M2")
# torch.gt / x.gt ... -> dojo.compare (graph level only, i1 result).
COMPARES = ("eq", "ne", "lt", "le", "gt", "ge")
# Unary math ops of the dialect's graph level only (reference backend; the
# simulator raises NotLoweredError): torch function / method name = op.
# (erf reaches the ISA: verf.)
GRAPH_UNARY = ("erf", "sin", "cos", "tan", "asin", "acos", "atan", "sinh",
               "cosh", "asinh", "acosh", "atanh", "floor", "ceil", "round",
               "sign")


class _Importer:
    def __init__(self, gm, float_type, root_leaf=None):
        self.torch = _torch()
        self.gm = gm
        self.b = GraphBuilder(float_type)
        self.env = {}
        self.modules = dict(gm.named_modules())
        self.transposed = []
        self.static = {}   # fx node -> Python value (sizes and arithmetic)
        self.upcast = {}   # ssa -> the value cast back to the float type
        # A bare leaf module compiled as the model: (call_module target,
        # location); its parameters keep their own names ("weight").
        self.root_leaf = root_leaf

    # -- helpers -----------------------------------------------------------

    def fail(self, node, what):
        raise compile_error(
            f"{self.where(node)}: unsupported {what} (node '{node.name}')",
            op=what, node=node.name)

    def where(self, node):
        if node.op == "call_module":
            if self.root_leaf and node.target == self.root_leaf[0]:
                return self.root_leaf[1]
            return str(node.target)
        return node.name

    def prefix(self, node):
        """Parameter name prefix of a module call ("layer1.0.conv1.")."""
        if self.root_leaf and node.target == self.root_leaf[0]:
            return ""
        return str(node.target) + "."

    def meta(self, node):
        tm = node.meta.get("tensor_meta")
        if tm is None:
            raise compile_error(f"{node.name}: no shape information (is the "
                                "result a tensor?)", node=node.name)
        return tm

    def shape(self, node):
        return tuple(int(d) for d in self.meta(node).shape)

    def val(self, a, node, like=None):
        """The dojo value of fx argument `a` (a Node or a Python scalar)."""
        fx = self.torch.fx
        if isinstance(a, fx.Node) and a.name in self.static:
            a = self.static[a.name]
        if isinstance(a, fx.Node):
            v = self.env.get(a.name)
            if not isinstance(v, Value):
                raise compile_error(f"{self.where(node)}: operand '{a.name}' "
                                    "is not a tensor value", node=node.name)
            return self.model_float(v, self.where(node))
        if isinstance(a, (int, float, bool)):
            return self.b.scalar(float(a), self.where(node))
        if isinstance(a, self.torch.Tensor):
            return self.b.const(_np(a), self.where(node))
        raise compile_error(f"{self.where(node)}: unsupported operand "
                            f"{a!r} (node '{node.name}')", node=node.name)

    def model_float(self, v, loc):
        """`v` in the compile's float type if it is a float of another
        (BF16 in an FP32 model, CFP8) after a cast: ops compute in the
        compile's precision, the cast's rounding stays (exact: BF16 and
        CFP8 values are FP32 values, CFP8 values BF16 values)."""
        if v.et not in FLOAT_ETS or v.et == self.b.ft:
            return v
        if v.ssa not in self.upcast:
            self.upcast[v.ssa] = self.b.cast(v, self.b.ft, loc)
        return self.upcast[v.ssa]

    def param(self, name, tensor):
        return self.b.param(name, _np(tensor))

    # -- driver ------------------------------------------------------------

    def run(self, example_inputs):
        torch = self.torch
        placeholders = [n for n in self.gm.graph.nodes
                        if n.op == "placeholder"]
        if len(placeholders) != len(example_inputs):
            raise compile_error(f"the model takes {len(placeholders)} "
                                f"inputs, got {len(example_inputs)} examples")
        input_names, input_types = [], {}
        for n, x in zip(placeholders, example_inputs):
            if x.dtype.is_floating_point:
                et = self.b.ft
            elif x.dtype in (torch.int64, torch.int32):
                et = "i64" if x.dtype == torch.int64 else "i32"
            else:
                raise compile_error(f"input '{n.name}' has unsupported dtype "
                                    f"{x.dtype}", node=n.name)
            self.env[n.name] = self.b.input(n.name, tuple(x.shape), et)
            input_names.append(n.name)
            input_types[n.name] = (tuple(x.shape), et)
        outputs = []
        for node in self.gm.graph.nodes:
            if node.op == "placeholder":
                continue
            if node.op == "output":
                outputs = self.flatten_output(node.args[0], node)
                continue
            r = self.node(node)
            if r is not None:
                self.env[node.name] = r
        outputs = [self.model_float(v, "output") for v in outputs]
        for v in outputs:
            self.b.result(v)
        names = [f"result{i}" for i in range(len(outputs))]
        return ImportedGraph(self.b.text(), self.b.params, input_names,
                             names, input_types, self.transposed,
                             output_types=[v.et for v in outputs])

    def flatten_output(self, a, node):
        fx = self.torch.fx
        if isinstance(a, (tuple, list)):
            out = []
            for x in a:
                out += self.flatten_output(x, node)
            return out
        if isinstance(a, dict):
            out = []
            for x in a.values():
                out += self.flatten_output(x, node)
            return out
        if isinstance(a, fx.Node) and a.name in self.static:
            a = self.static[a.name]
        if isinstance(a, fx.Node):
            v = self.env.get(a.name)
            if isinstance(v, (list, tuple)):
                if not all(isinstance(x, Value) for x in v):
                    raise compile_error(f"output '{a.name}' holds a value "
                                        "that is not a tensor",
                                        node=a.name)
                return list(v)
            if v is None:
                raise compile_error(f"output '{a.name}' is not a tensor",
                                    node=a.name)
            return [v]
        raise compile_error(f"unsupported model output {a!r}")

    def sv(self, a):
        """Python value of a static fx argument (sizes, arithmetic)."""
        fx = self.torch.fx
        if isinstance(a, fx.Node):
            if a.name in self.static:
                return self.static[a.name]
            raise KeyError(a.name)
        if isinstance(a, (tuple, list)):
            return type(a)(self.sv(x) for x in a)
        if isinstance(a, slice):
            return slice(self.sv(a.start), self.sv(a.stop), self.sv(a.step))
        return a

    def resolve(self, a):
        """`a` with every static fx node (x.size(1), d // 2) replaced by its
        Python value, in tuples, lists, slices and dicts too; tensor nodes
        stay nodes."""
        fx = self.torch.fx
        if isinstance(a, fx.Node):
            return self.static.get(a.name, a)
        if isinstance(a, (tuple, list)):
            return type(a)(self.resolve(x) for x in a)
        if isinstance(a, slice):
            return slice(self.resolve(a.start), self.resolve(a.stop),
                         self.resolve(a.step))
        if isinstance(a, dict):
            return {k: self.resolve(v) for k, v in a.items()}
        return a

    def nodes_in(self, a):
        """The fx nodes in (nested) argument `a`."""
        fx = self.torch.fx
        if isinstance(a, fx.Node):
            return [a]
        if isinstance(a, (tuple, list)):
            return [n for x in a for n in self.nodes_in(x)]
        if isinstance(a, slice):
            return self.nodes_in((a.start, a.stop, a.step))
        if isinstance(a, dict):
            return self.nodes_in(list(a.values()))
        return []

    def static_int(self, node, a, what):
        """Python int of a static argument (resolved), else a located
        CompileError naming the run-time value."""
        fx = self.torch.fx
        if isinstance(a, fx.Node):
            self.fail(node, f"{what} computed at run time (from node "
                      f"'{a.name}'; sizes must be static)")
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            self.fail(node, f"{what} {a!r}")
        return int(a)

    def static_node(self, node):
        """Evaluates nodes that compute Python values from static shapes
        (x.shape, x.size(1), d // heads, hd ** 0.5); returns True if done."""
        if "tensor_meta" in node.meta or node.op not in ("call_function",
                                                         "call_method"):
            return False
        fx = self.torch.fx
        try:
            if node.op == "call_method" and node.target in ("size", "dim"):
                v = self.env[node.args[0].name]
                if node.target == "dim":
                    r = v.rank
                else:
                    dim = node.args[1] if len(node.args) > 1 else \
                        node.kwargs.get("dim")
                    r = tuple(v.shape) if dim is None else \
                        v.shape[self.sv(dim)]
            elif node.target is getattr:
                base = node.args[0]
                if not (isinstance(base, fx.Node) and base.name in self.env
                        and node.args[1] in ("shape", "ndim", "dtype",
                                             "device")):
                    return False
                if node.args[1] in ("dtype", "device"):
                    tm = base.meta.get("tensor_meta")
                    if tm is None:
                        return False
                    self.static[node.name] = (
                        tm.dtype if node.args[1] == "dtype" else
                        self.torch.device("cpu"))
                    return True
                v = self.env[base.name]
                if not isinstance(v, Value):
                    return False
                r = tuple(v.shape) if node.args[1] == "shape" else v.rank
            elif node.op == "call_function" and getattr(
                    node.target, "__module__", None) in ("_operator",
                                                         "operator", "math"):
                args = [self.sv(a) for a in node.args]
                if node.target is operator.getitem and isinstance(
                        node.args[0], fx.Node) and \
                        node.args[0].name in self.env:
                    return False
                r = node.target(*args)
            else:
                return False
        except KeyError:
            return False
        self.static[node.name] = r
        return True

    def node(self, node):
        if self.static_node(node):
            return None
        try:
            return self.dispatch(node)
        except (TypeError, ValueError) as e:
            # A size, dim or option the handler could not use: a tensor (a
            # value computed at run time) or an unexpected Python type.
            dyn = [n.name for n in self.nodes_in(
                self.resolve((node.args, node.kwargs)))
                if isinstance(self.env.get(n.name), Value) and
                n is not (node.args[0] if node.args else None)]
            what = node.target if isinstance(node.target, str) else \
                getattr(node.target, "__name__", str(node.target))
            extra = (f"; run-time value(s) {', '.join(dyn)} used where a "
                     "static size or option is needed") if dyn else ""
            raise compile_error(
                f"{self.where(node)}: unsupported arguments to {what} "
                f"({e}){extra} (node '{node.name}')", op=str(what),
                node=node.name) from None

    def dispatch(self, node):
        if node.op == "get_attr":
            obj = self.gm
            for part in str(node.target).split("."):
                obj = getattr(obj, part)
            if not isinstance(obj, self.torch.Tensor):
                self.fail(node, f"attribute '{node.target}'")
            return self.param(str(node.target), obj)
        if node.op == "call_module":
            mod = self.modules[node.target]
            return self.module(node, mod)
        if node.op == "call_function":
            return self.function(node, node.target, self.resolve(node.args),
                                 self.resolve(node.kwargs))
        if node.op == "call_method":
            return self.method(node, node.target, self.resolve(node.args),
                               self.resolve(node.kwargs))
        self.fail(node, f"fx node kind '{node.op}'")

    # -- modules -----------------------------------------------------------

    def module(self, node, m):
        nn = self.torch.nn
        loc = self.where(node)
        x = self.val(node.args[0], node) if node.args else None
        pfx = self.prefix(node)
        if isinstance(m, nn.Linear):
            return self.linear(x, m.weight, m.bias, pfx + "weight",
                               pfx + "bias", loc)
        if isinstance(m, nn.Conv2d):
            if m.padding_mode != "zeros":
                self.fail(node, f"Conv2d padding_mode '{m.padding_mode}'")
            w = self.param(pfx + "weight", m.weight)
            bias = (self.param(pfx + "bias", m.bias) if m.bias is not None
                    else None)
            return self.conv2d(node, x, w, bias, m.stride, m.padding,
                               m.dilation, m.groups)
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            if not m.track_running_stats or m.training:
                self.fail(node, "BatchNorm2d in training mode or without "
                          "running statistics (call model.eval())")
            c = m.num_features
            g = (self.param(pfx + "weight", m.weight) if m.affine else
                 self.b.const(np.ones(c, np.float32), loc))
            be = (self.param(pfx + "bias", m.bias) if m.affine else
                  self.b.const(np.zeros(c, np.float32), loc))
            mean = self.param(pfx + "running_mean", m.running_mean)
            var = self.param(pfx + "running_var", m.running_var)
            return self.b.batch_norm(x, mean, var, g, be, m.eps, loc)
        if isinstance(m, nn.ReLU):
            return self.b.unary("relu", x, loc)
        if isinstance(m, (nn.ReLU6, nn.Hardtanh)):
            # ReLU6 is Hardtanh(0, 6): max then min with scalars.
            v = self.b.binary("max", x, self.b.scalar(float(m.min_val), loc),
                              loc)
            return self.b.binary("min", v, self.b.scalar(float(m.max_val), loc),
                                 loc)
        if isinstance(m, nn.GELU):
            return self.b.gelu(x, loc, getattr(m, "approximate", "none"))
        if isinstance(m, nn.Sigmoid):
            return self.b.unary("sigmoid", x, loc)
        if isinstance(m, nn.SiLU):
            return self.silu(x, loc)
        if isinstance(m, nn.Hardsigmoid):
            return self.hardsigmoid(x, loc)
        if isinstance(m, nn.Hardswish):
            return self.b.binary("mul", x, self.hardsigmoid(x, loc), loc)
        if isinstance(m, nn.LeakyReLU):
            return self.leaky_relu(x, float(m.negative_slope), loc)
        if isinstance(m, nn.Tanh):
            return self.b.unary("tanh", x, loc)
        if isinstance(m, (nn.Dropout, nn.Identity)):
            return x
        if isinstance(m, nn.MaxPool2d):
            return self.pool(node, "max", x, m.kernel_size, m.stride,
                             m.padding, m.dilation, m.ceil_mode, True)
        if isinstance(m, nn.AvgPool2d):
            if m.divisor_override:
                self.fail(node, "AvgPool2d divisor_override")
            return self.pool(node, "avg", x, m.kernel_size, m.stride,
                             m.padding, 1, m.ceil_mode, m.count_include_pad)
        if isinstance(m, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
            kind = "avg" if isinstance(m, nn.AdaptiveAvgPool2d) else "max"
            return self.adaptive_pool(node, kind, x, m.output_size)
        if isinstance(m, nn.Flatten):
            return self.b.reshape(x, self.shape(node), loc)
        if isinstance(m, nn.LayerNorm):
            return self.layer_norm(x, m.normalized_shape,
                                   m.weight if m.elementwise_affine else None,
                                   m.bias if m.elementwise_affine else None,
                                   m.eps, pfx, loc)
        if isinstance(m, nn.Softmax):
            dim = m.dim if m.dim is not None else -1
            return self.b.softmax(x, dim, loc)
        if isinstance(m, nn.Embedding):
            if m.max_norm is not None:
                self.fail(node, "Embedding max_norm")
            return self.embedding(node, self.param(pfx + "weight", m.weight),
                                  x)
        if isinstance(m, nn.MultiheadAttention):
            return self.mha(node, m, loc, pfx)
        if isinstance(m, nn.modules.padding._ConstantPadNd):
            return self.pad(node, x, m.padding, "constant", m.value)
        self.fail(node, f"module {type(m).__module__}.{type(m).__name__}")

    def linear(self, x, weight, bias, wname, bname, loc):
        # Weight passed as [in, out] (see LINEAR_NOTE).
        w = self.b.param(wname, _np(weight).T.copy())
        self.transposed.append(wname)
        lead = x.shape[:-1]
        x2 = self.b.reshape(x, (int(np.prod(lead)) if lead else 1,
                                x.shape[-1]), loc)
        y = self.b.matmul(x2, w, loc)
        if bias is not None:
            y = self.b.binary("add", y, self.param(bname, bias), loc)
        return self.b.reshape(y, tuple(lead) + (w.shape[1],), loc)

    def conv2d(self, node, x, w, b, stride, padding, dilation, groups):
        """Conv2d / F.conv2d with weight `w` and bias `b` (or None) values."""
        loc = self.where(node)
        if x.rank != 4 or w.rank != 4:
            self.fail(node, f"Conv2d on a rank-{x.rank} input with a "
                      f"rank-{w.rank} weight")
        kh, kw = w.shape[2:]
        dil = _pair(dilation)
        if isinstance(padding, str):
            if padding == "valid":
                pad = (0, 0, 0, 0)
            elif padding == "same":
                th, tw = dil[0] * (kh - 1), dil[1] * (kw - 1)
                pad = (th // 2, tw // 2, th - th // 2, tw - tw // 2)
            else:
                self.fail(node, f"Conv2d padding '{padding}'")
        else:
            ph, pw = _pair(padding)
            pad = (ph, pw, ph, pw)
        return self.b.conv2d(x, w, b, loc, _pair(stride), pad, dil,
                             int(groups))

    def pool(self, node, kind, x, kernel, stride, padding, dilation,
             ceil_mode, count_include_pad):
        loc = self.where(node)
        k = _pair(kernel)
        s = _pair(stride) if stride not in (None, ()) else k
        p = _pair(padding)
        if _pair(dilation) != (1, 1):
            self.fail(node, "pooling with dilation")
        pad = [p[0], p[1], p[0], p[1]]
        want = self.shape(node)
        for i, d in enumerate((2, 3)):
            # ceil_mode: extra bottom/right padding gives the extra window
            # (PyTorch keeps only windows starting inside the input or the
            # left padding, which the result shape already reflects).
            n = x.shape[d] + 2 * p[i] - k[i]
            got = n // s[i] + 1
            extra = 0
            if ceil_mode and want[d] > got:
                extra = (want[d] - 1) * s[i] + k[i] - (x.shape[d] + 2 * p[i])
            if extra:
                if kind == "avg":
                    self.fail(node, "AvgPool2d ceil_mode producing partial "
                              "windows")
                pad[2 + i] += extra
        return self.b.pool2d(kind, x, loc, k, s, pad, count_include_pad)

    def adaptive_pool(self, node, kind, x, out_size):
        loc = self.where(node)
        h, w = x.shape[2:]
        if isinstance(out_size, int):
            out_size = (out_size, out_size)
        oh = h if out_size[0] is None else int(out_size[0])
        ow = w if out_size[1] is None else int(out_size[1])
        if (oh, ow) == (1, 1):
            return self.b.global_pool2d(kind, x, loc)
        if h % oh or w % ow:
            self.fail(node, f"adaptive pooling of {h}x{w} to {oh}x{ow} "
                      "(uneven windows)")
        k = (h // oh, w // ow)
        return self.b.pool2d(kind, x, loc, k, k, (0, 0, 0, 0), False)

    def layer_norm(self, x, normalized_shape, weight, bias, eps, pfx, loc):
        nshape = tuple(int(d) for d in normalized_shape)
        axis = x.rank - len(nshape)
        g = self.param(pfx + "weight", weight) if weight is not None else None
        be = self.param(pfx + "bias", bias) if bias is not None else None
        return self.b.layer_norm(x, g, be, axis, eps, loc)

    def embedding(self, node, table, idx):
        if idx.et not in ("i32", "i64"):
            self.fail(node, "Embedding with non-integer indices")
        if table.rank != 2:
            self.fail(node, f"Embedding with a rank-{table.rank} table")
        return self.b.gather(table, idx, self.where(node))

    def pad(self, node, x, pads, mode, value):
        """F.pad / nn.ConstantPad*d: `pads` is (left, right) pairs from the
        last dimension backwards; negative amounts crop."""
        if mode != "constant":
            self.fail(node, f"pad mode '{mode}'")
        b, loc = self.b, self.where(node)
        if not isinstance(pads, (tuple, list)):
            self.fail(node, f"pad amounts {pads!r}")
        pads = [self.static_int(node, p, "pad amount") for p in pads]
        if len(pads) % 2 or len(pads) // 2 > x.rank:
            self.fail(node, f"pad of {len(pads)} amounts on a rank-{x.rank} "
                      "tensor")
        low, high = [0] * x.rank, [0] * x.rank
        for i in range(len(pads) // 2):
            low[x.rank - 1 - i] = pads[2 * i]
            high[x.rank - 1 - i] = pads[2 * i + 1]
        value = 0.0 if value is None else float(value)
        y = b.pad(x, [max(0, p) for p in low], [max(0, p) for p in high],
                  value, loc)
        if any(p < 0 for p in low + high):
            off = [max(0, -p) for p in low]
            size = [d - o - max(0, -h) for d, o, h in zip(y.shape, off, high)]
            y = b.slice(y, off, size, [1] * x.rank, loc)
        return y

    def broadcast_to(self, v, shape, loc):
        """`v` materialized at `shape` (NumPy broadcasting): floats as a
        multiply by ones (exact), other types by concatenating copies."""
        b = self.b
        shape = tuple(int(d) for d in shape)
        if v.shape == shape:
            return v
        if v.rank < len(shape):
            v = b.reshape(v, (1,) * (len(shape) - v.rank) + v.shape, loc)
        if v.et == self.b.ft:
            return b.binary("mul", v, b.const(np.ones(shape, np.float32),
                                              loc), loc)
        for ax, (d, n) in enumerate(zip(v.shape, shape)):
            if d != n:
                v = b.concat([v] * n, ax, loc)
        return v

    def mha(self, node, m, loc, pfx):
        """nn.MultiheadAttention (batch_first or not), expanded into
        matmuls, softmax and reshapes; returns (output, None)."""
        args = list(node.args) + [None] * 3
        q_in, k_in, v_in = (self.val(a, node) for a in args[:3])
        kw = node.kwargs
        if kw.get("attn_mask") is not None or \
                kw.get("key_padding_mask") is not None:
            self.fail(node, "MultiheadAttention with masks")
        if not m._qkv_same_embed_dim or m.bias_k is not None:
            self.fail(node, "MultiheadAttention with kdim/vdim or add_bias_kv")
        b = self.b
        e, h = m.embed_dim, m.num_heads
        hd = e // h
        bf = getattr(m, "batch_first", False)

        def to_bsd(t):
            return t if bf else b.transpose(t, (1, 0, 2), loc)
        q_in, k_in, v_in = to_bsd(q_in), to_bsd(k_in), to_bsd(v_in)
        bsz, sq = q_in.shape[:2]
        sk = k_in.shape[1]
        w = _np(m.in_proj_weight)
        bias = (_np(m.in_proj_bias) if m.in_proj_bias is not None else None)
        outs = []
        for i, (t, s) in enumerate(((q_in, sq), (k_in, sk), (v_in, sk))):
            wi = b.param(f"{pfx}in_proj_weight.{'qkv'[i]}",
                         w[i * e:(i + 1) * e].T.copy())
            y = b.matmul(b.reshape(t, (bsz * s, e), loc), wi, loc)
            if bias is not None:
                y = b.binary("add", y, b.param(
                    f"{pfx}in_proj_bias.{'qkv'[i]}",
                    bias[i * e:(i + 1) * e]), loc)
            y = b.reshape(y, (bsz, s, h, hd), loc)
            y = b.transpose(y, (0, 2, 1, 3), loc)
            outs.append(b.reshape(y, (bsz * h, s, hd), loc))
        q, k, v = outs
        q = b.binary("mul", q, b.scalar(1.0 / math.sqrt(hd), loc), loc)
        att = b.batch_matmul(q, k, loc, transpose_rhs=True)
        att = b.softmax(att, 2, loc)
        o = b.batch_matmul(att, v, loc)
        o = b.transpose(b.reshape(o, (bsz, h, sq, hd), loc), (0, 2, 1, 3),
                        loc)
        o = self.linear(b.reshape(o, (bsz, sq, e), loc), m.out_proj.weight,
                        m.out_proj.bias, pfx + "out_proj.weight",
                        pfx + "out_proj.bias", loc)
        if not bf:
            o = b.transpose(o, (1, 0, 2), loc)
        return (o, None)

    # -- functions and methods -----------------------------------------------

    def function(self, node, fn, args, kwargs):
        torch, F = self.torch, self.torch.nn.functional
        b, loc = self.b, self.where(node)
        name = getattr(fn, "__name__", str(fn))

        def arg(i, key, default=None):
            if len(args) > i:
                return args[i]
            return kwargs.get(key, default)

        if fn is getattr:
            return self.attribute(node, args[0], args[1])
        if getattr(fn, "__module__", None) in ("_operator", "operator",
                                               "math") and \
                "tensor_meta" not in node.meta:
            return None    # arithmetic on sizes: static
        if fn is operator.getitem:
            return self.getitem(node, args[0], args[1])
        if fn in (torch.max, torch.min):
            return self.minmax(node, fn.__name__, args, kwargs)
        cmps = {operator.eq: "eq", operator.ne: "ne", operator.lt: "lt",
                operator.le: "le", operator.gt: "gt", operator.ge: "ge"}
        cmps.update({getattr(torch, p): p for p in COMPARES})
        if fn in cmps:
            return self.compare(node, cmps[fn], args[0], args[1])
        if fn is torch.where and len(args) == 3:
            return b.select(self.val(args[0], node), self.val(args[1], node),
                            self.val(args[2], node), loc)
        if fn in (torch.argmax, torch.argmin):
            return self.arg_reduce(node, fn.__name__, args, kwargs)
        binops = {operator.add: "add", torch.add: "add", operator.sub: "sub",
                  torch.sub: "sub", operator.mul: "mul", torch.mul: "mul",
                  operator.truediv: "div", torch.div: "div",
                  torch.maximum: "max", torch.minimum: "min"}
        if fn in binops:
            return self.binop(node, binops[fn], args[0], args[1], kwargs)
        if fn in (operator.neg, torch.neg):
            return b.binary("mul", self.val(args[0], node), b.scalar(-1.0, loc),
                            loc)
        unops = {torch.relu: "relu", F.relu: "relu", torch.sigmoid: "sigmoid",
                 F.sigmoid: "sigmoid", torch.tanh: "tanh", F.tanh: "tanh",
                 torch.exp: "exp", torch.log: "log", torch.sqrt: "sqrt",
                 torch.rsqrt: "rsqrt", torch.reciprocal: "reciprocal",
                 torch.erf: "erf", torch.special.erf: "erf"}
        unops.update({getattr(torch, n): n for n in GRAPH_UNARY})
        if fn in unops:
            return b.unary(unops[fn], self.val(args[0], node), loc)
        if fn is F.gelu:
            return b.gelu(self.val(args[0], node), loc,
                          kwargs.get("approximate", "none"))
        if fn in (F.dropout, torch.nn.functional.dropout):
            return self.val(args[0], node)
        if fn in (torch.flatten, torch.reshape):
            return b.reshape(self.val(args[0], node), self.shape(node), loc)
        if fn in (torch.transpose, torch.permute):
            return self.method(node, fn.__name__, args, kwargs)
        if fn is torch.cat or fn is torch.concat:
            xs = [self.val(a, node) for a in arg(0, "tensors")]
            return b.concat(xs, arg(1, "dim", 0), loc)
        if fn in (torch.matmul, torch.bmm, torch.mm, operator.matmul):
            return self.matmul(node, self.val(args[0], node),
                               self.val(args[1], node))
        if fn in (F.softmax, torch.softmax):
            return b.softmax(self.val(args[0], node), arg(1, "dim"), loc)
        if fn is F.linear:
            x = self.val(args[0], node)
            wt = arg(1, "weight")
            bt = arg(2, "bias")
            return self.linear_fx(node, x, wt, bt)
        if fn is F.layer_norm:
            x = self.val(args[0], node)
            ns = arg(1, "normalized_shape")
            g = arg(2, "weight")
            be = arg(3, "bias")
            eps = arg(4, "eps", 1e-5)
            gv = self.val(g, node) if g is not None else None
            bv = self.val(be, node) if be is not None else None
            return b.layer_norm(x, gv, bv, x.rank - len(ns), eps, loc)
        if fn in (F.adaptive_avg_pool2d, F.adaptive_max_pool2d):
            kind = "avg" if fn is F.adaptive_avg_pool2d else "max"
            return self.adaptive_pool(node, kind, self.val(args[0], node),
                                      arg(1, "output_size"))
        if fn in (F.max_pool2d, F.avg_pool2d):
            x = self.val(args[0], node)
            k = arg(1, "kernel_size")
            s = arg(2, "stride", None)
            p = arg(3, "padding", 0)
            if fn is F.max_pool2d:
                return self.pool(node, "max", x, k, s, p, arg(4, "dilation", 1),
                                 arg(5, "ceil_mode", False), True)
            return self.pool(node, "avg", x, k, s, p, 1,
                             arg(4, "ceil_mode", False),
                             arg(5, "count_include_pad", True))
        if fn in (torch.mean, torch.sum, torch.amax, torch.amin):
            return self.reduction(node, {torch.mean: "reduce_mean",
                                         torch.sum: "reduce_sum",
                                         torch.amax: "reduce_max",
                                         torch.amin: "reduce_min"}[fn],
                                  args, kwargs)
        if fn is torch.conv2d:   # F.conv2d
            x, w = self.val(args[0], node), self.val(arg(1, "weight"), node)
            bias = arg(2, "bias")
            return self.conv2d(node, x, w, self.val(bias, node)
                               if bias is not None else None,
                               arg(3, "stride", 1), arg(4, "padding", 0),
                               arg(5, "dilation", 1), arg(6, "groups", 1))
        if fn is F.embedding:
            if arg(3, "max_norm") is not None:
                self.fail(node, "embedding max_norm")
            return self.embedding(node, self.val(arg(1, "weight"), node),
                                  self.val(args[0], node))
        if fn is F.batch_norm:
            return self.batch_norm_fx(node, args, kwargs)
        if fn is F.pad:
            return self.pad(node, self.val(args[0], node), arg(1, "pad"),
                            arg(2, "mode", "constant"), arg(3, "value"))
        if fn is torch.broadcast_to:
            return self.broadcast_to(self.val(args[0], node),
                                     self.shape(node), loc)
        if fn is F.relu6:
            return self.clamp(node, args[0], 0.0, 6.0)
        if fn is F.silu:
            return self.silu(self.val(args[0], node), loc)
        if (name == "stochastic_depth" and
                getattr(fn, "__module__", "").startswith("torchvision.")):
            # torchvision's stochastic depth (EfficientNet, ConvNeXt): the
            # identity in inference.
            if arg(3, "training", True):
                self.fail(node, "stochastic_depth in training mode")
            return self.val(args[0], node)
        if fn is F.hardsigmoid:
            return self.hardsigmoid(self.val(args[0], node), loc)
        if fn is F.hardswish:
            x = self.val(args[0], node)
            return self.b.binary("mul", x, self.hardsigmoid(x, loc), loc)
        if fn is F.leaky_relu:
            return self.leaky_relu(self.val(args[0], node),
                                   float(arg(1, "negative_slope", 0.01)), loc)
        if fn is F.hardtanh:
            return self.clamp(node, args[0], arg(1, "min_val", -1.0),
                              arg(2, "max_val", 1.0))
        if fn in (torch.clamp, torch.clip):
            return self.clamp(node, args[0], arg(1, "min"), arg(2, "max"))
        if fn is torch.pow or fn is operator.pow:
            return self.pow(node, args[0], args[1])
        if fn in (torch.chunk, torch.split):
            return self.method(node, fn.__name__, args, kwargs)
        self.fail(node, f"function {getattr(fn, '__module__', '')}.{name}")

    def attribute(self, node, base, name):
        """Tensor attributes: x.T, x.mT (transposes), x.data; x.shape and
        x.dtype are static (static_node)."""
        fx = self.torch.fx
        v = self.env.get(base.name) if isinstance(base, fx.Node) else None
        if isinstance(v, (tuple, list)) and name in ("values", "indices"):
            return v[0 if name == "values" else 1]   # torch.max(x, dim)
        if not isinstance(v, Value):
            return None
        b, loc = self.b, self.where(node)
        v = self.val(base, node)
        if name in ("T", "H"):
            return b.transpose(v, list(range(v.rank))[::-1], loc)
        if name in ("mT", "mH"):
            if v.rank < 2:
                self.fail(node, f"Tensor.{name} of a rank-{v.rank} tensor")
            perm = list(range(v.rank))
            perm[-2], perm[-1] = perm[-1], perm[-2]
            return b.transpose(v, perm, loc)
        if name == "data":
            return v
        self.fail(node, f"attribute Tensor.{name}")

    def batch_norm_fx(self, node, args, kwargs):
        """F.batch_norm in inference form (running statistics)."""
        b, loc = self.b, self.where(node)
        names = ("input", "running_mean", "running_var", "weight", "bias",
                 "training", "momentum", "eps")
        a = dict(zip(names, args))
        a.update(kwargs)
        if a.get("training", False) or a.get("running_mean") is None or \
                a.get("running_var") is None:
            self.fail(node, "batch_norm in training mode or without running "
                      "statistics")
        x = self.val(a["input"], node)
        c = x.shape[1]
        g = (self.val(a["weight"], node) if a.get("weight") is not None
             else b.const(np.ones(c, np.float32), loc))
        be = (self.val(a["bias"], node) if a.get("bias") is not None
              else b.const(np.zeros(c, np.float32), loc))
        return b.batch_norm(x, self.val(a["running_mean"], node),
                            self.val(a["running_var"], node), g, be,
                            float(a.get("eps", 1e-5)), loc)

    def dtype_et(self, node, dtype):
        """The element type a torch dtype becomes: float32/float64 the
        compile's float type, bfloat16 BF16, float8 CFP8."""
        torch = self.torch
        if dtype in (torch.float32, torch.float64):
            return self.b.ft
        if dtype is torch.bfloat16:
            return "bf16"
        f8 = {getattr(torch, n, None): et for n, et in (
            ("float8_e4m3fn", "f8E4M3FN"), ("float8_e5m2", "f8E5M2"))}
        f8.pop(None, None)
        if dtype in f8:
            return f8[dtype]
        ints = {torch.int64: "i64", torch.int32: "i32", torch.int16: "i16",
                torch.int8: "i8", torch.bool: "i1"}
        if dtype in ints:
            return ints[dtype]
        self.fail(node, f"cast to {dtype}")

    def cast(self, node, base, dtype):
        """x.to(dtype), x.float(), x.type_as(y): dojo.cast between float
        types, dojo.convert to or from integers (graph level only)."""
        b, loc = self.b, self.where(node)
        fx = self.torch.fx
        v = self.env.get(base.name) if isinstance(base, fx.Node) else None
        if not isinstance(v, Value):
            v = self.val(base, node)
        et = self.dtype_et(node, dtype)
        if v.et == et:
            return v
        if v.et in FLOAT_ETS and et in FLOAT_ETS:
            return b.cast(v, et, loc)
        if v.et.startswith("f8") or et.startswith("f8"):
            self.fail(node, f"cast from {v.et} to {et}")
        return b.convert(self.model_float(v, loc), et, loc)

    def to_dtype(self, node, args, kwargs):
        """The dtype a Tensor.to(...) call converts to, or None."""
        torch, fx = self.torch, self.torch.fx
        dtype = kwargs.get("dtype")
        for a in args[1:]:
            if isinstance(a, torch.dtype):
                dtype = a
            elif isinstance(a, fx.Node) and isinstance(
                    self.env.get(a.name), Value):
                dtype = self.meta(a).dtype   # x.to(other)
        return dtype

    def index_needed(self, node):
        """Whether the indices of torch.max(x, dim) are used (not only the
        values: `x.max(-1)[0]`, `v, _ = x.max(-1)`, `.values`)."""
        for u in node.users:
            if u.op == "call_function" and u.target in (operator.getitem,
                                                        getattr):
                k = u.args[1]
                if k in (0, "values"):
                    continue
                if k in (1, "indices") and not u.users:
                    continue
            return True
        return False

    def minmax(self, node, kind, args, kwargs):
        """torch.max/min: of two tensors (elementwise), of all elements, or
        along a dim as (values, indices)."""
        b, loc = self.b, self.where(node)
        fx = self.torch.fx
        other = args[1] if len(args) > 1 else kwargs.get("other")
        if isinstance(other, fx.Node) and isinstance(
                self.env.get(other.name), Value):
            return self.binop(node, kind, args[0], other, {})
        x = self.val(args[0], node)
        dim = args[1] if len(args) > 1 else kwargs.get("dim")
        keep = bool(args[2] if len(args) > 2 else kwargs.get("keepdim",
                                                              False))
        if dim is None:
            return self.reduce(f"reduce_{kind}", x, list(range(x.rank)),
                               False, loc)
        dim = self.static_int(node, dim, "dim") % max(x.rank, 1)
        vals = self.reduce(f"reduce_{kind}", x, [dim], keep, loc)
        idx = None
        if self.index_needed(node):
            idx = b.arg_reduce(f"arg{kind}", x, dim, keep, False, loc)
        return (vals, idx)

    def compare(self, node, pred, a, c):
        """Comparisons (graph level only): an i1 tensor."""
        fx = self.torch.fx
        if not isinstance(a, fx.Node):   # 0 < x: x > 0
            pred = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}.get(
                pred, pred)
            a, c = c, a
        return self.b.compare(pred, self.val(a, node), self.val(c, node),
                              self.where(node))

    def arg_reduce(self, node, kind, args, kwargs):
        """argmax / argmin (graph level only): int64 indices."""
        b, loc = self.b, self.where(node)
        x = self.val(args[0], node)
        dim = args[1] if len(args) > 1 else kwargs.get("dim")
        keep = bool(args[2] if len(args) > 2 else kwargs.get("keepdim",
                                                              False))
        if dim is None:   # of the flattened tensor
            x, dim, keep = b.reshape(x, (int(np.prod(x.shape)),), loc), 0, \
                False
        dim = self.static_int(node, dim, "dim")
        return b.arg_reduce(kind, x, dim, keep, False, loc)

    def reduce(self, op, x, axes, keep, loc):
        """b.reduce, with min as -max(-x) (exact)."""
        b = self.b
        if op != "reduce_min":
            return b.reduce(op, x, axes, keep, loc)
        neg = b.binary("mul", x, b.scalar(-1.0, loc), loc)
        y = b.reduce("reduce_max", neg, axes, keep, loc)
        return b.binary("mul", y, b.scalar(-1.0, loc), loc)

    def linear_fx(self, node, x, wt, bt):
        """F.linear(x, w, b) with w a tensor value [out, in]."""
        b, loc = self.b, self.where(node)
        w = self.val(wt, node)
        lead = x.shape[:-1]
        x2 = b.reshape(x, (int(np.prod(lead)) if lead else 1, x.shape[-1]),
                       loc)
        y = b.matmul(x2, w, loc, transpose_rhs=True)
        if bt is not None:
            y = b.binary("add", y, self.val(bt, node), loc)
        return b.reshape(y, tuple(lead) + (w.shape[0],), loc)

    def binop(self, node, op, a, c, kwargs):
        b, loc = self.b, self.where(node)
        alpha = kwargs.get("alpha", 1)
        if kwargs.get("rounding_mode") is not None:
            self.fail(node, "div with rounding_mode")
        fx = self.torch.fx
        if not isinstance(a, fx.Node) and not isinstance(c, fx.Node):
            self.fail(node, f"{op} of two constants")
        av = self.val(a, node)
        cv = self.val(c, node)
        if alpha != 1:
            cv = b.binary("mul", cv, b.scalar(alpha, loc), loc)
        return b.binary(op, av, cv, loc)

    def silu(self, x, loc):
        """x * sigmoid(x)."""
        return self.b.binary("mul", x, self.b.unary("sigmoid", x, loc), loc)

    def hardsigmoid(self, x, loc):
        """min(max(x + 3, 0), 6) / 6, PyTorch's order."""
        b = self.b
        v = b.binary("add", x, b.scalar(3.0, loc), loc)
        v = b.binary("max", v, b.scalar(0.0, loc), loc)
        v = b.binary("min", v, b.scalar(6.0, loc), loc)
        return b.binary("div", v, b.scalar(6.0, loc), loc)

    def leaky_relu(self, x, slope, loc):
        """max(x, 0) + slope * min(x, 0): x or slope * x, exactly."""
        b = self.b
        pos = b.binary("max", x, b.scalar(0.0, loc), loc)
        neg = b.binary("mul", b.binary("min", x, b.scalar(0.0, loc), loc),
                       b.scalar(slope, loc), loc)
        return b.binary("add", pos, neg, loc)

    def clamp(self, node, x, lo, hi):
        b, loc = self.b, self.where(node)
        v = self.val(x, node)
        if lo is not None and hi is None and float(lo) == 0.0:
            return b.unary("relu", v, loc)
        if lo is not None:
            v = b.binary("max", v, self.val(lo, node), loc)
        if hi is not None:
            v = b.binary("min", v, self.val(hi, node), loc)
        return v

    def pow(self, node, x, e):
        b, loc = self.b, self.where(node)
        v = self.val(x, node)
        if e == 2:
            return b.binary("mul", v, v, loc)
        if e == 0.5:
            return b.unary("sqrt", v, loc)
        if e == -0.5:
            return b.unary("rsqrt", v, loc)
        if e == -1:
            return b.unary("reciprocal", v, loc)
        if e == 1:
            return v
        self.fail(node, f"pow with exponent {e!r}")

    def reduction(self, node, op, args, kwargs):
        loc = self.where(node)
        x = self.val(args[0], node)
        dim = args[1] if len(args) > 1 else kwargs.get("dim")
        keep = args[2] if len(args) > 2 else kwargs.get("keepdim", False)
        if kwargs.get("dtype") is not None:
            self.fail(node, f"{op} with dtype")
        if dim is None:
            dim = list(range(x.rank))
        if not isinstance(dim, (tuple, list)):
            dim = [dim]
        dim = [self.static_int(node, d, "dim") for d in dim]
        return self.reduce(op, x, [d % max(x.rank, 1) for d in dim],
                           bool(keep), loc)

    def matmul(self, node, a, c):
        """torch.matmul semantics on dojo.matmul / batch_matmul."""
        b, loc = self.b, self.where(node)
        out = self.shape(node)
        if a.rank == 1:
            a = b.reshape(a, (1, a.shape[0]), loc)
        vec_rhs = c.rank == 1
        if vec_rhs:
            c = b.reshape(c, (c.shape[0], 1), loc)
        if a.rank == 2 and c.rank == 2:
            return b.reshape(b.matmul(a, c, loc), out, loc)
        # NumPy batch broadcasting of the leading dimensions.
        batch = tuple(np.broadcast_shapes(a.shape[:-2], c.shape[:-2]))
        nb = int(np.prod(batch)) if batch else 1
        if int(np.prod(c.shape[:-2])) == 1 and tuple(a.shape[:-2]) == batch:
            # One right-hand matrix: fold the batch into the rows.
            m = int(np.prod(a.shape[:-1]))
            y = b.matmul(b.reshape(a, (m, a.shape[-1]), loc),
                         b.reshape(c, c.shape[-2:], loc), loc)
            return b.reshape(y, out, loc)

        def as3(t):
            tb = tuple(t.shape[:-2])
            if int(np.prod(tb)) == 1:
                return b.reshape(t, (1,) + t.shape[-2:], loc)
            if (1,) * (len(batch) - len(tb)) + tb != batch:
                # Broadcast over some batch dimensions: materialize it.
                t = self.broadcast_to(t, batch + t.shape[-2:], loc)
            return b.reshape(t, (nb,) + t.shape[-2:], loc)
        y = b.batch_matmul(as3(a), as3(c), loc)
        return b.reshape(y, out, loc)

    def getitem(self, node, base, idx):
        fx = self.torch.fx
        b, loc = self.b, self.where(node)
        v = self.env.get(base.name) if isinstance(base, fx.Node) else None
        if isinstance(v, (tuple, list)):
            return v[self.static_int(node, idx, "index")]
        if v is None:
            return None   # x.shape[i] etc.: static
        v = self.val(base, node)
        if not isinstance(idx, tuple):
            idx = (idx,)
        for i in idx:
            parts = (i.start, i.stop, i.step) if isinstance(i, slice) else (i,)
            for p in parts:
                if isinstance(p, fx.Node):
                    self.fail(node, f"indexing with '{p.name}', a value "
                              "computed at run time (indices must be "
                              "static)")
        offsets, sizes, strides, keep = [], [], [], []
        d = 0
        n_real = sum(1 for i in idx if i is not None and i is not Ellipsis)
        for i in idx:
            if i is Ellipsis:
                skip = v.rank - n_real
                for _ in range(skip):
                    offsets.append(0)
                    sizes.append(v.shape[d])
                    strides.append(1)
                    keep.append(v.shape[d])
                    d += 1
                continue
            if i is None:
                keep.append(1)
                continue
            if isinstance(i, (int, np.integer)) and not isinstance(i, bool):
                n = v.shape[d]
                if not -n <= i < n:
                    self.fail(node, f"index {i} out of range for size {n}")
                off = int(i) % n
                offsets.append(off)
                sizes.append(1)
                strides.append(1)
                d += 1
                continue
            if isinstance(i, slice):
                n = v.shape[d]
                start, stop, step = i.indices(n)
                if step <= 0:
                    self.fail(node, "slice with a non-positive step")
                cnt = max(0, (stop - start + step - 1) // step)
                offsets.append(start)
                sizes.append(cnt)
                strides.append(step)
                keep.append(cnt)
                d += 1
                continue
            self.fail(node, f"indexing with {type(i).__name__}")
        while d < v.rank:
            offsets.append(0)
            sizes.append(v.shape[d])
            strides.append(1)
            keep.append(v.shape[d])
            d += 1
        y = b.slice(v, offsets, sizes, strides, loc)
        return b.reshape(y, self.shape(node), loc)

    def method(self, node, name, args, kwargs):
        b, loc = self.b, self.where(node)
        torch = self.torch
        if name in ("size", "dim"):
            return None
        casts = {"float": torch.float32, "double": torch.float32,
                 "bfloat16": torch.bfloat16, "half": torch.float16,
                 "long": torch.int64, "int": torch.int32, "bool": torch.bool}
        if name in casts:
            return self.cast(node, args[0], casts[name])
        if name == "to":
            dtype = self.to_dtype(node, args, kwargs)
            if dtype is None:
                return self.val(args[0], node)   # device moves
            return self.cast(node, args[0], dtype)
        if name == "type_as":
            return self.cast(node, args[0], self.meta(args[1]).dtype)
        if name == "type" and (len(args) > 1 or "dtype" in kwargs):
            dtype = args[1] if len(args) > 1 else kwargs["dtype"]
            if not isinstance(dtype, torch.dtype):
                self.fail(node, f"Tensor.type({dtype!r})")
            return self.cast(node, args[0], dtype)
        if name in ("max", "min"):
            return self.minmax(node, name, args, kwargs)
        if name in COMPARES:
            return self.compare(node, name, args[0], args[1])
        if name in ("argmax", "argmin"):
            return self.arg_reduce(node, name, args, kwargs)
        x = self.val(args[0], node)
        rest = args[1:]

        def arg(i, key, default=None):
            if len(rest) > i:
                return rest[i]
            return kwargs.get(key, default)

        if name in ("view", "reshape", "flatten", "squeeze", "unsqueeze",
                    "view_as", "reshape_as", "unflatten"):
            return b.reshape(x, self.shape(node), loc)
        if name in ("contiguous", "clone", "detach", "cpu", "cuda"):
            return x
        if name in ("expand", "expand_as", "broadcast_to"):
            return self.broadcast_to(x, self.shape(node), loc)
        if name == "repeat":
            reps = rest[0] if len(rest) == 1 and isinstance(
                rest[0], (tuple, list)) else rest
            reps = [self.static_int(node, r, "repeat count") for r in reps]
            if len(reps) < x.rank:
                self.fail(node, "repeat with fewer counts than dimensions")
            x = b.reshape(x, (1,) * (len(reps) - x.rank) + x.shape, loc)
            for ax, r in enumerate(reps):
                if r != 1:
                    x = b.concat([x] * r, ax, loc)
            return x
        if name == "permute":
            perm = rest[0] if len(rest) == 1 and isinstance(
                rest[0], (tuple, list)) else (rest or kwargs.get("dims"))
            return b.transpose(x, [p % x.rank for p in perm], loc)
        if name == "transpose":
            d0, d1 = arg(0, "dim0") % x.rank, arg(1, "dim1") % x.rank
            perm = list(range(x.rank))
            perm[d0], perm[d1] = perm[d1], perm[d0]
            return b.transpose(x, perm, loc)
        if name == "t":
            return b.transpose(x, [1, 0] if x.rank == 2 else [0], loc)
        if name in ("relu", "sigmoid", "tanh", "exp", "log", "sqrt",
                    "rsqrt", "reciprocal") + GRAPH_UNARY:
            return b.unary(name, x, loc)
        if name == "softmax":
            return b.softmax(x, arg(0, "dim"), loc)
        if name in ("add", "sub", "mul", "div"):
            return self.binop(node, name, args[0], args[1], kwargs)
        if name in ("mean", "sum", "amax", "amin"):
            return self.reduction(node, {"mean": "reduce_mean",
                                         "sum": "reduce_sum",
                                         "amax": "reduce_max",
                                         "amin": "reduce_min"}[name],
                                  args, kwargs)
        if name in ("maximum", "minimum"):
            return self.binop(node, name[:3], args[0], args[1], {})
        if name in ("matmul", "bmm"):
            return self.matmul(node, x, self.val(args[1], node))
        if name in ("clamp", "clip"):
            return self.clamp(node, args[0], arg(0, "min"), arg(1, "max"))
        if name == "pow":
            return self.pow(node, args[0], args[1])
        if name in ("chunk", "split"):
            dim = arg(1, "dim", 0) % x.rank
            n = x.shape[dim]
            if name == "chunk":
                c = arg(0, "chunks")
                size = -(-n // c)
                sizes = [min(size, n - i) for i in range(0, n, size)]
            else:
                s = arg(0, "split_size_or_sections",
                        kwargs.get("split_size"))
                sizes = list(s) if isinstance(s, (list, tuple)) else \
                    [min(s, n - i) for i in range(0, n, s)]
            parts, off = [], 0
            for sz in sizes:
                o = [0] * x.rank
                o[dim] = off
                shp = list(x.shape)
                shp[dim] = sz
                parts.append(b.slice(x, o, shp, [1] * x.rank, loc))
                off += sz
            return tuple(parts)
        self.fail(node, f"method Tensor.{name}")


def import_module(model, example_inputs, float_type="bf16"):
    """Traces `model` (an nn.Module, put in eval mode by the caller) with
    torch.fx and returns an ImportedGraph of dojo MLIR with `float_type`
    (bf16 or f32) for every float tensor."""
    torch = _torch()
    from torch.fx.passes.shape_prop import ShapeProp

    if isinstance(example_inputs, torch.Tensor):
        example_inputs = (example_inputs,)
    example_inputs = tuple(torch.as_tensor(x) for x in example_inputs)

    def run(gm, root_leaf=None):
        try:
            with torch.no_grad():
                ShapeProp(gm).propagate(*example_inputs)
        except Exception as e:  # the model fails on its example inputs
            raise compile_error(f"{type(model).__name__}: running the "
                                "example inputs through the traced graph "
                                f"failed: {str(e).splitlines()[0]}")
        return _Importer(gm, float_type, root_leaf).run(example_inputs)

    if torch.fx.Tracer().is_leaf_module(model, ""):
        # A bare nn layer (nn.Conv2d, nn.BatchNorm2d...): tracing would go
        # into its forward (torch.conv2d calls, control flow); import it as
        # one module call instead, as it is inside a model.
        try:
            return run(*_leaf_graph(model, len(example_inputs)))
        except Exception as e:  # noqa: BLE001  (retry traced, see below)
            first = e
        try:   # a layer the importer knows only in functional form
            return run(torch.fx.symbolic_trace(model))
        except Exception:  # noqa: BLE001
            raise first from None
    try:
        gm = torch.fx.symbolic_trace(model)
    except Exception as e:  # tracing failures: name the model
        raise compile_error(f"torch.fx cannot trace {type(model).__name__}: "
                            f"{e}")
    return run(gm)


def _leaf_graph(model, n_inputs):
    """A GraphModule calling leaf module `model` once on `n_inputs`
    placeholders named after its forward() parameters; returns it and the
    importer's root_leaf (call target, location)."""
    import inspect

    torch = _torch()
    names = []
    try:
        for p in inspect.signature(model.forward).parameters.values():
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                names.append(p.name)
    except (TypeError, ValueError):
        pass
    names = (names + [f"input{i}" for i in range(len(names), n_inputs)])
    g = torch.fx.Graph()
    phs = [g.placeholder(n) for n in names[:n_inputs]]
    target = "root"
    g.output(g.call_module(target, tuple(phs)))
    holder = torch.nn.Module()
    holder.add_module(target, model)
    return torch.fx.GraphModule(holder, g), (target, type(model).__name__)
