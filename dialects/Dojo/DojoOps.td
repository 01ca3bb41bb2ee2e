//===- DojoOps.td - dojo dialect operations -----------------*- tablegen -*-===//

#ifndef DOJO_OPS_TD
#define DOJO_OPS_TD

include "Dojo/DojoDialect.td"
include "Dojo/DojoAttrs.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Dojo_FloatTensor : RankedTensorOf<[F32, BF16]>;
// Also CFP8 (f8E4M3FN = cfp8_143, f8E5M2 = cfp8_152 at the default bias
// CSRs): only dojo.cast converts to and from it, and dojo.reshape carries it
// (Dojo_AnyOrF8Tensor below).
def Dojo_FloatOrF8Tensor : RankedTensorOf<[F32, BF16, F8E4M3FN, F8E5M2]>;

def Dojo_IndexTensor : RankedTensorOf<[I32, I64]>;

// Every element type the graph level knows: the floats the machine computes
// on, booleans (i1) and signless integers (two's complement, signed
// semantics). Integer and boolean tensors are for the ops below that say so
// (comparisons, selection, conversions, index results); they run on the
// reference interpreter and are not lowered to the ISA yet.
def Dojo_AnyTensor : RankedTensorOf<[F32, BF16, I1, I8, I16, I32, I64]>;
def Dojo_AnyOrF8Tensor
    : RankedTensorOf<[F32, BF16, F8E4M3FN, F8E5M2, I1, I8, I16, I32, I64]>;
def Dojo_BoolTensor : RankedTensorOf<[I1]>;

// Attribute shorthands.
def Dojo_Pair : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>;
def Dojo_Quad : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<4>]>;
class Dojo_PairOr<string value>
    : DefaultValuedAttr<Dojo_Pair, "{" # value # ", " # value # "}">;
def Dojo_NoPadding : DefaultValuedAttr<Dojo_Quad, "{0, 0, 0, 0}">;
def Dojo_LayoutDefault
    : DefaultValuedAttr<Dojo_LayoutAttr, "::dojo::Layout::NCHW">;
def Dojo_Epsilon : DefaultValuedAttr<F32Attr, "1.0e-5f">;

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Dojo_MatmulOp : Dojo_Op<"matmul", [Pure]> {
  let summary = "Matrix multiplication with FP32 accumulation";
  let description = [{
    `C = op(A) x op(B)` where `op(A)` is `MxK` and `op(B)` is `KxN`;
    `transpose_lhs` means `A` is stored `KxM` (`op(A) = A^T`),
    `transpose_rhs` means `B` is stored `NxK`. Products are formed exactly
    and accumulated in FP32 in ascending `k` (starting from +0), then rounded
    once (nearest even) to the result element type, as the matrix unit does.

    With `window = [o_0, ..., o_(T-1)]` (a shifted-window product, what
    `dojo-decompose` makes of a stride-1 convolution over its flattened
    padded input), `A` is `R x C`, `B` is `(T*C) x N`, the result `M x N`
    for any `M`, and `C[q] = sum over t, c of A[q + o_t, c] * B[t*C + c]`,
    accumulated in ascending `(t, c)` like the `k` of the plain product;
    every row read must exist: `M + max(o) <= R`. No transposes.

    ```mlir
    %c = dojo.matmul %a, %b : tensor<256x512xbf16>, tensor<512x1024xbf16> -> tensor<256x1024xbf16>
    %d = dojo.matmul %a, %w {transpose_rhs} : tensor<256x512xbf16>, tensor<1024x512xbf16> -> tensor<256x1024xf32>
    %e = dojo.matmul %x, %k {window = array<i64: 0, 1, 10, 11>} : tensor<120x64xbf16>, tensor<256x32xbf16> -> tensor<100x32xf32>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$lhs, Dojo_FloatTensor:$rhs,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs,
                       OptionalAttr<DenseI64ArrayAttr>:$window);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Type":$result, "::mlir::Value":$lhs,
                   "::mlir::Value":$rhs), [{
      build($_builder, $_state, result, lhs, rhs, /*transpose_lhs=*/false,
            /*transpose_rhs=*/false, /*window=*/nullptr);
    }]>,
    OpBuilder<(ins "::mlir::Type":$result, "::mlir::Value":$lhs,
                   "::mlir::Value":$rhs, "bool":$tl, "bool":$tr), [{
      build($_builder, $_state, result, lhs, rhs, tl, tr, /*window=*/nullptr);
    }]>
  ];
  let extraClassDeclaration = [{
    /// Rows of A past a window product's last row that it reads (the
    /// largest offset; 0 without a window).
    int64_t windowHalo();
    /// The contraction size K (T*C with a window).
    int64_t contractionSize();
  }];
  let hasVerifier = 1;
}

def Dojo_BatchMatmulOp : Dojo_Op<"batch_matmul", [Pure]> {
  let summary = "Batched matrix multiplication with FP32 accumulation";
  let description = [{
    `C[b] = op(A[b]) x op(B[b])` on rank-3 operands `[batch, rows, cols]`,
    with `transpose_lhs` / `transpose_rhs` as for `dojo.matmul`. The batch
    sizes of the operands must be equal, or one of them 1: a batch of 1 is
    broadcast (the same matrix multiplies every batch of the other operand).
    Each `C[b]` has exactly the numerics of `dojo.matmul`: exact products,
    FP32 accumulation in ascending `k`, one rounding.

    ```mlir
    %c = dojo.batch_matmul %q, %k {transpose_rhs} : tensor<12x128x64xbf16>, tensor<12x128x64xbf16> -> tensor<12x128x128xf32>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$lhs, Dojo_FloatTensor:$rhs,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Dojo_Conv2DOp : Dojo_Op<"conv2d", [Pure]> {
  let summary = "2-D convolution (grouped, strided, dilated, padded)";
  let description = [{
    Cross-correlation of `input` with `filter`, optionally plus `bias` `[O]`.
    Layouts (`layout`, default `nchw`):

    | layout | input | filter | result |
    |---|---|---|---|
    | `nchw` | `[N, C, H, W]` | `[O, C/groups, KH, KW]` (OIHW) | `[N, O, OH, OW]` |
    | `nhwc` | `[N, H, W, C]` | `[KH, KW, C/groups, O]` (HWIO) | `[N, OH, OW, O]` |

    `strides = [sh, sw]`, `dilations = [dh, dw]` (default 1),
    `padding = [top, left, bottom, right]` (zeros, default none),
    `groups` (default 1) divides both `C` and `O`; output channel `o` reads
    input channels `[g * C/groups, (g + 1) * C/groups)` with
    `g = o / (O/groups)`. Depthwise convolution is `groups = C` (with `O` a
    multiple of `C`). `OH = (H + top + bottom - dh * (KH - 1) - 1) / sh + 1`
    (floor), likewise `OW`.

    Numerics: every output element starts from +0 and accumulates the exact
    products `x * w` in FP32 in ascending `(kh, kw, c)` order (`c` the input
    channel within the group, innermost: the order of an NHWC im2col row). Padding positions take part as
    input value +0 (so a NaN or infinite weight still yields NaN there).
    Then `bias[o]` is added in FP32 and the sum is rounded once to the result
    type.

    ```mlir
    %y = dojo.conv2d %x, %w, %b layout nhwc {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
        : tensor<8x56x56x64xbf16>, tensor<3x3x64x128xbf16>, tensor<128xbf16> -> tensor<8x28x28x128xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input, Dojo_FloatTensor:$filter,
                       Optional<Dojo_FloatTensor>:$bias,
                       Dojo_LayoutDefault:$layout,
                       Dojo_PairOr<"1">:$strides,
                       Dojo_NoPadding:$padding,
                       Dojo_PairOr<"1">:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? (`layout` `` $layout^)? attr-dict `:`
    type($input) `,` type($filter) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

class Dojo_Pool2DOp<string mnemonic, string what, string numerics,
                    dag extraArgs = (ins)>
    : Dojo_Op<mnemonic, [Pure]> {
  let summary = "2-D " # what # " pooling";
  let description = [{
    }] # what # [{ over windows of `kernel = [kh, kw]` moved by
    `strides = [sh, sw]` (default 1) over the input padded by
    `padding = [top, left, bottom, right]` (default none); `layout` is `nchw`
    (default) or `nhwc`. `OH = (H + top + bottom - kh) / sh + 1` (floor),
    likewise `OW`; every window must overlap the unpadded input. }]
    # numerics # [{

    ```mlir
    %y = dojo.}] # mnemonic # [{ %x layout nhwc {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
        : tensor<8x112x112x64xbf16> -> tensor<8x56x56x64xbf16>
    ```
  }];
  let arguments = !con((ins Dojo_FloatTensor:$input, Dojo_Pair:$kernel,
                            Dojo_PairOr<"1">:$strides,
                            Dojo_NoPadding:$padding,
                            Dojo_LayoutDefault:$layout), extraArgs);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`layout` `` $layout^)? attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() { return verifyPool(*this); }
  }];
}

def Dojo_MaxPool2DOp : Dojo_Pool2DOp<"max_pool2d", "Maximum",
    [{Padding positions are ignored. The maximum propagates NaN and orders
    -0 below +0; the result is the input value (exact).}]>;

def Dojo_AvgPool2DOp : Dojo_Pool2DOp<"avg_pool2d", "Average",
    [{The in-bounds window elements are summed in FP32 from +0 in ascending
    `(kh, kw)`; the sum is divided in FP32 by the window size
    `kh * kw` if `count_include_pad` is set, else by the number of in-bounds
    elements, and rounded once to the result type.}],
    (ins UnitAttr:$count_include_pad)>;

class Dojo_GlobalPool2DOp<string mnemonic, string what, string numerics>
    : Dojo_Op<mnemonic, [Pure]> {
  let summary = "Global " # what # " pooling over the spatial dimensions";
  let description = [{
    }] # what # [{ over all of `H` and `W`; the result keeps them as size 1:
    `[N, C, 1, 1]` for `nchw` (default), `[N, 1, 1, C]` for `nhwc`. }]
    # numerics # [{

    ```mlir
    %y = dojo.}] # mnemonic # [{ %x : tensor<8x2048x7x7xbf16> -> tensor<8x2048x1x1xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input, Dojo_LayoutDefault:$layout);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`layout` `` $layout^)? attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return verifyGlobalPool(*this);
    }
  }];
}

def Dojo_GlobalAvgPool2DOp : Dojo_GlobalPool2DOp<"global_avg_pool2d",
    "Average", [{The sum runs in FP32 from +0 in ascending `(h, w)`, is
    divided in FP32 by `H * W` and rounded once.}]>;
def Dojo_GlobalMaxPool2DOp : Dojo_GlobalPool2DOp<"global_max_pool2d",
    "Maximum", [{NaN propagates; -0 orders below +0.}]>;

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class Dojo_BinaryOp<string mnemonic, string what, string formula>
    : Dojo_Op<mnemonic, [Pure]> {
  let summary = "Broadcasting elementwise " # what;
  let description = [{
    `}] # formula # [{` elementwise with NumPy-style broadcasting of trailing
    dimensions. Computed in FP32 on the exact operand values and rounded once
    to the result type.

    ```mlir
    %y = dojo.}] # mnemonic # [{ %x, %bias : tensor<256x1024xbf16>, tensor<1024xbf16> -> tensor<256x1024xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$lhs, Dojo_FloatTensor:$rhs);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return verifyBroadcast(*this, getLhs().getType(), getRhs().getType(),
                             getResult().getType());
    }
  }];
}

def Dojo_AddOp : Dojo_BinaryOp<"add", "addition", "lhs + rhs">;
def Dojo_SubOp : Dojo_BinaryOp<"sub", "subtraction", "lhs - rhs">;
def Dojo_MulOp : Dojo_BinaryOp<"mul", "multiplication", "lhs * rhs">;
def Dojo_DivOp : Dojo_BinaryOp<"div", "division", "lhs / rhs">;
def Dojo_MaxOp : Dojo_BinaryOp<"max", "maximum",
    "max(lhs, rhs) (NaN if either is NaN; -0 < +0)">;
def Dojo_MinOp : Dojo_BinaryOp<"min", "minimum",
    "min(lhs, rhs) (NaN if either is NaN; -0 < +0)">;

class Dojo_UnaryOp<string mnemonic, string what, string formula>
    : Dojo_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = what;
  let description = [{
    `}] # formula # [{` elementwise, computed in FP32 on the exact input
    value and rounded once to the element type.

    ```mlir
    %y = dojo.}] # mnemonic # [{ %x : tensor<256x1024xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Dojo_ReluOp : Dojo_UnaryOp<"relu", "Rectified linear unit",
    "x > 0 ? x : +0 (NaN stays NaN)">;
def Dojo_SigmoidOp : Dojo_UnaryOp<"sigmoid", "Logistic sigmoid",
    "1 / (1 + exp(-x))">;
def Dojo_TanhOp : Dojo_UnaryOp<"tanh", "Hyperbolic tangent", "tanh(x)">;
def Dojo_ExpOp : Dojo_UnaryOp<"exp", "Exponential", "exp(x)">;
def Dojo_LogOp : Dojo_UnaryOp<"log", "Natural logarithm",
    "log(x) (-inf at 0, NaN below 0)">;
def Dojo_SqrtOp : Dojo_UnaryOp<"sqrt", "Square root",
    "sqrt(x) (IEEE, correctly rounded in FP32)">;
def Dojo_RsqrtOp : Dojo_UnaryOp<"rsqrt", "Reciprocal square root",
    "1 / sqrt(x)">;
def Dojo_ReciprocalOp : Dojo_UnaryOp<"reciprocal", "Reciprocal",
    "1 / x (IEEE division)">;

def Dojo_GeluOp : Dojo_Op<"gelu", [Pure, SameOperandsAndResultType]> {
  let summary = "Gaussian error linear unit";
  let description = [{
    `approximate = none` (default): `0.5 * x * (1 + erf(x * (1/sqrt(2))))`;
    `approximate = tanh`:
    `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))`. Computed in
    FP32 on the exact input value and rounded once to the element type.

    ```mlir
    %y = dojo.gelu %x : tensor<512x3072xbf16>
    %z = dojo.gelu %x approximate tanh : tensor<512x3072xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input,
      DefaultValuedAttr<Dojo_GeluApproximationAttr,
                        "::dojo::GeluApproximation::None">:$approximate);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`approximate` `` $approximate^)? attr-dict `:` type($input)
  }];
}

def Dojo_CastOp : Dojo_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "Element type conversion between FP32, BF16 and CFP8";
  let description = [{
    Converts each element with the machine's `vcvt` (docs/isa.md 3.1-3.4),
    rounding once to nearest even. BF16 and CFP8 -> FP32 are exact; FP32 ->
    BF16 keeps NaN and overflows to infinity. The two CFP8 formats are
    spelled with MLIR's 8-bit float types at the machine's default bias
    CSRs: `f8E4M3FN` is CFP8 1-4-3 with bias 7 (`cfp8_143`: max 448, no
    infinity) and `f8E5M2` is CFP8 1-5-2 with bias 15 (`cfp8_152`); the
    value sets are identical, but conversions to them follow the machine:
    a finite overflow **saturates** to +-max (for `f8E5M2` too, unlike
    APFloat), +-Inf becomes +-448 in `f8E4M3FN` and stays +-Inf in
    `f8E5M2`, NaN stays NaN. A cast to the same type is the identity.

    ```mlir
    %y = dojo.cast %x : tensor<256x1024xf32> -> tensor<256x1024xbf16>
    %q = dojo.cast %x : tensor<256x1024xf32> -> tensor<256x1024xf8E4M3FN>
    ```
  }];
  let arguments = (ins Dojo_FloatOrF8Tensor:$input);
  let results = (outs Dojo_FloatOrF8Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Reductions and normalizations
//===----------------------------------------------------------------------===//

class Dojo_ReduceOp<string mnemonic, string what, string numerics>
    : Dojo_Op<mnemonic, [Pure]> {
  let summary = what # " over the given axes";
  let description = [{
    Reduces `axes` (strictly increasing, in `[0, rank)`); the result drops
    them, or keeps them as size 1 with `keepdim`. }] # numerics # [{

    ```mlir
    %y = dojo.}] # mnemonic # [{ %x axes [1] keepdim : tensor<64x768xf32> -> tensor<64x1xf32>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdim);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $input `axes` $axes (`keepdim` $keepdim^)? attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() { return verifyReduce(*this); }
  }];
}

def Dojo_ReduceSumOp : Dojo_ReduceOp<"reduce_sum", "Sum",
    [{The sum starts from +0 and adds in FP32 in ascending row-major order of
    the reduced indices, then rounds once to the result type.}]>;
def Dojo_ReduceMaxOp : Dojo_ReduceOp<"reduce_max", "Maximum",
    [{NaN propagates; -0 orders below +0; the result is an input value.}]>;
def Dojo_ReduceMeanOp : Dojo_ReduceOp<"reduce_mean", "Mean",
    [{The FP32 sum of `dojo.reduce_sum` is divided in FP32 by the number of
    reduced elements, then rounded once.}]>;

def Dojo_SoftmaxOp : Dojo_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "Softmax along one axis";
  let description = [{
    Along `axis`: `m = max(x)`, `e_i = exp(x_i - m)` (FP32), `s = sum(e)`
    (FP32 from +0, ascending index), `y_i = e_i / s` rounded once to the
    element type.

    ```mlir
    %p = dojo.softmax %scores axis 2 : tensor<12x128x128xf32>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = "$input `axis` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Dojo_LayerNormOp : Dojo_Op<"layer_norm", [Pure, AttrSizedOperandSegments,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Layer normalization over the trailing dimensions";
  let description = [{
    Normalizes over dimensions `[axis, rank)` (so `axis = rank - 1` is the
    usual last-dimension layer norm). With `n` the number of normalized
    elements, all in FP32: `mean = sum(x) / n`, `var = sum((x - mean)^2) / n`
    (two passes, sums from +0 in ascending row-major order),
    `r = rsqrt(var + epsilon)`, `y = (x - mean) * r`, then `y = y * gamma`
    and `y = y + beta` if given (shape `input.shape[axis:]`, same element
    type), rounded once to the element type. `epsilon` defaults to 1e-5.

    ```mlir
    %y = dojo.layer_norm %x scale %g : tensor<768xbf16> bias %b : tensor<768xbf16> axis 2 {epsilon = 1.0e-12 : f32} : tensor<8x512x768xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input,
                       Optional<Dojo_FloatTensor>:$gamma,
                       Optional<Dojo_FloatTensor>:$beta,
                       I64Attr:$axis, Dojo_Epsilon:$epsilon);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`scale` $gamma^ `:` type($gamma))? (`bias` $beta^ `:` type($beta))?
    `axis` $axis attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

def Dojo_BatchNormOp : Dojo_Op<"batch_norm", [Pure,
    AllTypesMatch<["input", "result"]>,
    AllTypesMatch<["mean", "variance", "gamma", "beta"]>]> {
  let summary = "Batch normalization, inference form";
  let description = [{
    Per channel `c` along `axis` (default 1), all in FP32:
    `y = (x - mean[c]) * rsqrt(variance[c] + epsilon)`, then `y = y *
    gamma[c]`, then `y = y + beta[c]`, rounded once to the element type.
    The four parameter tensors are `[C]` with the input's element type.

    ```mlir
    %y = dojo.batch_norm %x, %mean, %var, %gamma, %beta {epsilon = 1.0e-3 : f32}
        : tensor<8x64x56x56xbf16>, tensor<64xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input, Dojo_FloatTensor:$mean,
                       Dojo_FloatTensor:$variance, Dojo_FloatTensor:$gamma,
                       Dojo_FloatTensor:$beta,
                       DefaultValuedAttr<I64Attr, "1">:$axis,
                       Dojo_Epsilon:$epsilon);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $mean `,` $variance `,` $gamma `,` $beta attr-dict `:`
    type($input) `,` type($mean)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement (exact: values are copied, never rounded)
//===----------------------------------------------------------------------===//

def Dojo_TransposeOp : Dojo_Op<"transpose", [Pure]> {
  let summary = "Permutes dimensions";
  let description = [{
    Result dimension `d` is input dimension `perm[d]`:
    `result[j_0, ..., j_(r-1)] = input[i]` with `i[perm[d]] = j_d`. `perm`
    is a permutation of `[0, rank)`.

    ```mlir
    %y = dojo.transpose %x perm [0, 2, 1] : tensor<12x128x64xbf16> -> tensor<12x64x128xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $input `perm` $perm attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Dojo_ReshapeOp : Dojo_Op<"reshape", [Pure]> {
  let summary = "Reinterprets the row-major elements with another shape";
  let description = [{
    Static shapes with the same element count and element type; the
    row-major element order is unchanged. Any element type (integer and
    boolean tensors too).

    ```mlir
    %y = dojo.reshape %x : tensor<8x512x768xbf16> -> tensor<4096x768xbf16>
    ```
  }];
  let arguments = (ins Dojo_AnyOrF8Tensor:$input);
  let results = (outs Dojo_AnyOrF8Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Dojo_ConcatOp : Dojo_Op<"concat", [Pure]> {
  let summary = "Concatenates tensors along one axis";
  let description = [{
    One or more inputs of equal rank and element type whose sizes agree
    except along `axis`.

    ```mlir
    %y = dojo.concat %a, %b axis 1 : tensor<4x3xf32>, tensor<4x5xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Dojo_FloatTensor>:$inputs, I64Attr:$axis);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $inputs `axis` $axis attr-dict `:` type($inputs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Dojo_SliceOp : Dojo_Op<"slice", [Pure]> {
  let summary = "Strided slice";
  let description = [{
    `result[i] = input[offsets + i * strides]` for `0 <= i < sizes`
    (per dimension); `sizes` is the result shape, strides are positive and
    every read index lies inside the input.

    ```mlir
    %y = dojo.slice %x offsets [0, 2] sizes [4, 3] strides [1, 2] : tensor<4x8xf32> -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input, DenseI64ArrayAttr:$offsets,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $input `offsets` $offsets `sizes` $sizes `strides` $strides attr-dict `:`
    type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Dojo_PadOp : Dojo_Op<"pad", [Pure]> {
  let summary = "Pads with a constant";
  let description = [{
    Adds `low[d]` elements before and `high[d]` after dimension `d`
    (non-negative), filled with `value` (default 0.0) rounded once to the
    element type.

    ```mlir
    %y = dojo.pad %x low [0, 1] high [0, 2] value -1.0 : tensor<4x8xf32> -> tensor<4x11xf32>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input, DenseI64ArrayAttr:$low,
                       DenseI64ArrayAttr:$high,
                       DefaultValuedAttr<F32Attr, "0.0f">:$value);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $input `low` $low `high` $high (`value` $value^)? attr-dict `:`
    type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Dojo_GatherOp : Dojo_Op<"gather", [Pure]> {
  let summary = "Embedding lookup: rows of a table by index";
  let description = [{
    `result[i..., d] = table[clamp(indices[i...], 0, V - 1), d]` for a table
    `[V, D]` and `i32` or `i64` indices of any shape; the result is
    `indices.shape + [D]` with the table's element type. Out-of-range indices
    are clamped to the first or last row (the machine has no
    per-element faults; frontends that need an error check indices before).
    Values are copied exactly.

    ```mlir
    %e = dojo.gather %table[%ids] : tensor<30522x768xbf16>, tensor<8x512xi32> -> tensor<8x512x768xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$table, Dojo_IndexTensor:$indices);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $table `[` $indices `]` attr-dict `:` type($table) `,` type($indices) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Kernels: per-core work of a tiled op over a grid of cores
//===----------------------------------------------------------------------===//

def Dojo_KernelOp : Dojo_Op<"kernel", [IsolatedFromAbove, SingleBlock]> {
  let summary = "Per-core work of one tiled operation over a grid of cores";
  let description = [{
    Runs its body once per point `(i, j, ...)` of `grid`, each on its own
    core. Block arguments are the tiles of the inputs that one core works on;
    the yielded value is that core's tile of the result. `maps` has one
    affine map per input and one for the result, from grid coordinates to
    block indices: the tile of an operand at grid point `g` starts at
    `map(g) * tile_shape`. Tiles cover their tensors; the last tile of a
    dimension may be ragged (reach past the end, not be empty): a core
    computes on the whole tile, the part outside the tensor reads as zero
    (in the reference interpreter; on the machine it is whatever SRAM holds)
    and is never stored. Sound because no op reduces across a tiled
    dimension (matmul keeps all of K on one core).

    Later passes annotate the kernel: `place_rows` and `place_cols` (the
    mesh rows `R` and columns `C` of the program's cores, all of `R x C`
    enabled; logical core `i * |C| + j` is mesh core `(R[i], C[j])`; grid
    point `(i, j)` of a 2-D grid runs on logical core `i * |C| + j`, point
    `k` of a 1-D grid on logical core `k`; with `fold = f`, see below),
    `arg_offsets` (SRAM offsets of
    the input tiles), `sram_bytes` (peak SRAM per core), `sems` (semaphores used by
    the schedule), `k_chunks` (the schedule streams the operands of the
    leading matmul in this many slices of K, so loads overlap the matrix
    unit) and `multicast` (the leading matmul's A row blocks and B column
    blocks are loaded once per grid row / column and multicast along mesh
    rows / columns).

    `fold = f` (set by `dojo-tile` for a 2-D grid with more rows than the
    mesh has: tall, narrow matmuls) folds the grid's rows `f` times over
    the placement: with `R' = ceil(grid[0] / f)`, grid row `i` runs in
    placement row `i mod R'`, in the `grid[1]` placement columns starting
    at `(i div R') * grid[1]`. A grid row is still on one mesh row and a
    grid column on straight runs of mesh columns, so multicast applies.

    `halos` (one count per input) lets an input's tiles overlap: the map
    indexes blocks of the tile's shape less `halos[i]` rows, and each tile
    reads that many rows past its block (the rows a window product,
    `dojo.matmul` with `window`, reaches beyond its output rows). Only the
    last tile may reach past the tensor's end.

    `crop = [Hp, Wp, OH, OW]` (set by `dojo-tile` on a window product whose
    result is cropped to the valid positions of a convolution) makes the
    grid tile a logical `[L, C]` result, `L = rows / (OH * OW) * Hp * Wp`
    (`logicalResultType`), of which only the valid positions are the
    result: logical row `p = (n * Hp + h) * Wp + w` is result row
    `(n * OH + h) * OW + w` when `h < OH` and `w < OW`, and is dropped
    otherwise. The result must be 2-D and its map `(i, j) -> (i, j)`.

    `pad_input = [images, Hp, Wp, H, W, top, left]` (set by `dojo-tile` on
    a window product whose A is a zero-padded image) makes input 0, a
    `[N * H * W, C]` image (`N <= images`), read as its zero padding:
    the logical `[images * Hp * Wp, C]` input (`logicalInputType`) whose
    row `(n * Hp + h) * Wp + w` is input row `(n * H + h - top) * W + w -
    left` where `n < N`, `top <= h < top + H` and `left <= w < left + W`,
    and zero elsewhere. Its map must be `(i, j) -> (i, 0)`.

    `im2col = [Hp, Wp, OH, OW, SH, SW, dy_0, dx_0, ..., dy_T-1, dx_T-1]`
    (set by `dojo-tile` on a matmul whose A is the concat, along channels,
    of T strided windows of one image: a convolution's im2col from
    `dojo-decompose`) makes input 0, a `[N * Hp * Wp, C]` image, read as
    its im2col: the logical `[N * OH * OW, T * C]` input whose row `(n *
    OH + y) * OW + x`, columns `[t * C, (t + 1) * C)`, is input row `(n *
    Hp + y * SH + dy_t) * Wp + x * SW + dx_t`. Its map must be `(i, j) ->
    (i, 0)`.

    ```mlir
    %y = dojo.kernel grid [16, 16]
        maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>,
              affine_map<(i, j) -> (i, j)>]
        ins(%x, %w : tensor<256x512xbf16>, tensor<512x1024xbf16>)
        -> tensor<256x1024xbf16> {
    ^bb0(%a: tensor<16x512xbf16>, %b: tensor<512x64xbf16>):
      %c = dojo.matmul %a, %b : tensor<16x512xbf16>, tensor<512x64xbf16> -> tensor<16x64xbf16>
      dojo.yield %c : tensor<16x64xbf16>
    }
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs,
                       DenseI64ArrayAttr:$grid,
                       AffineMapArrayAttr:$maps,
                       OptionalAttr<DenseI64ArrayAttr>:$place_rows,
                       OptionalAttr<DenseI64ArrayAttr>:$place_cols,
                       OptionalAttr<DenseI64ArrayAttr>:$arg_offsets,
                       OptionalAttr<I64Attr>:$sram_bytes,
                       OptionalAttr<DenseI64ArrayAttr>:$sems,
                       OptionalAttr<I64Attr>:$k_chunks,
                       UnitAttr:$multicast,
                       OptionalAttr<I64Attr>:$fold,
                       OptionalAttr<DenseI64ArrayAttr>:$halos,
                       OptionalAttr<DenseI64ArrayAttr>:$crop,
                       OptionalAttr<DenseI64ArrayAttr>:$pad_input,
                       OptionalAttr<DenseI64ArrayAttr>:$im2col);
  let results = (outs AnyRankedTensor:$result);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `grid` $grid `maps` $maps `ins` `(` $inputs `:` type($inputs) `)`
    attr-dict-with-keyword `->` type($result) $body
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// Number of grid points (= cores the kernel runs on).
    int64_t numWorkers();
    /// The fold factor `f` of a 2-D grid (1 if not folded).
    int64_t foldFactor();
    /// Extra rows input `i`'s tile reads past its block (`halos`; 0 if
    /// none).
    int64_t inputHalo(unsigned i);
    /// The block input `i`'s map indexes: its tile without the halo rows.
    ::mlir::RankedTensorType inputBlockType(unsigned i);
    /// Placement rows a folded 2-D grid occupies: ceil(grid[0] / f).
    int64_t foldedRows();
    /// Placement row index and column index (within the row) that grid
    /// point (i, j) of a 2-D grid runs on.
    std::pair<int64_t, int64_t> placeIndex(int64_t i, int64_t j);
    /// Tile shape of input `i` (its block argument type).
    ::mlir::RankedTensorType inputTileType(unsigned i);
    /// Tile shape of the result (the yielded type).
    ::mlir::RankedTensorType resultTileType();
    /// The result the grid tiles: the result type, or with `crop` the
    /// uncropped [L, C].
    ::mlir::RankedTensorType logicalResultType();
    /// The tensor input `i`'s tiles cover: its type, or with `pad_input`
    /// (input 0) the padded [images * Hp * Wp, C], with `im2col` (input 0)
    /// the [N * OH * OW, T * C] im2col.
    ::mlir::RankedTensorType logicalInputType(unsigned i);
    YieldOp getYield();
  }];
}

def Dojo_YieldOp : Dojo_Op<"yield", [Pure, Terminator,
    HasParent<"KernelOp">]> {
  let summary = "Yields a core's result tile from a kernel";
  let description = [{
    ```mlir
    dojo.yield %tile : tensor<16x64xbf16>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

def Dojo_BarrierOp : Dojo_Op<"barrier"> {
  let summary = "All cores of the program synchronize";
  let description = [{
    Inserted by `dojo-schedule` between kernels when a later kernel reads edge
    memory that an earlier one wrote. No core passes it until every core of
    the program has reached it and all its outgoing DMA has completed.

    ```mlir
    dojo.barrier
    ```
  }];
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// More elementwise math, comparisons, selection, booleans, conversions and
// index reductions. Graph level only: the reference interpreter runs them,
// dojo-tile reports them as not tiled yet.
//===----------------------------------------------------------------------===//

def Dojo_SinOp : Dojo_UnaryOp<"sin", "Sine", "sin(x)">;
def Dojo_CosOp : Dojo_UnaryOp<"cos", "Cosine", "cos(x)">;
def Dojo_TanOp : Dojo_UnaryOp<"tan", "Tangent", "tan(x)">;
def Dojo_AsinOp : Dojo_UnaryOp<"asin", "Arcsine", "asin(x) (NaN outside [-1, 1])">;
def Dojo_AcosOp : Dojo_UnaryOp<"acos", "Arccosine", "acos(x) (NaN outside [-1, 1])">;
def Dojo_AtanOp : Dojo_UnaryOp<"atan", "Arctangent", "atan(x)">;
def Dojo_SinhOp : Dojo_UnaryOp<"sinh", "Hyperbolic sine", "sinh(x)">;
def Dojo_CoshOp : Dojo_UnaryOp<"cosh", "Hyperbolic cosine", "cosh(x)">;
def Dojo_AsinhOp : Dojo_UnaryOp<"asinh", "Inverse hyperbolic sine", "asinh(x)">;
def Dojo_AcoshOp : Dojo_UnaryOp<"acosh", "Inverse hyperbolic cosine",
    "acosh(x) (NaN below 1)">;
def Dojo_AtanhOp : Dojo_UnaryOp<"atanh", "Inverse hyperbolic tangent",
    "atanh(x) (+-inf at +-1, NaN outside [-1, 1])">;
def Dojo_ErfOp : Dojo_UnaryOp<"erf", "Error function", "erf(x)">;
def Dojo_FloorOp : Dojo_UnaryOp<"floor", "Round toward negative infinity",
    "floor(x) (exact; NaN, infinities and -0 stay)">;
def Dojo_CeilOp : Dojo_UnaryOp<"ceil", "Round toward positive infinity",
    "ceil(x) (exact; NaN, infinities and -0 stay)">;
def Dojo_RoundOp : Dojo_UnaryOp<"round", "Round to the nearest integer",
    "round half to even(x) (exact; NaN, infinities and -0 stay)">;
def Dojo_SignOp : Dojo_UnaryOp<"sign", "Sign",
    "x > 0 ? 1 : x < 0 ? -1 : x (so +-0 and NaN stay)">;

def Dojo_PowOp : Dojo_BinaryOp<"pow", "power",
    "pow(lhs, rhs) (C `powf`: NaN for a negative base and a non-integer exponent)">;
def Dojo_FmodOp : Dojo_BinaryOp<"fmod", "floating remainder",
    "fmod(lhs, rhs) (exact; sign of lhs; NaN if rhs is 0)">;

def Dojo_ReduceProdOp : Dojo_ReduceOp<"reduce_prod", "Product",
    [{The product starts from 1 and multiplies in FP32 in ascending row-major
    order of the reduced indices, then rounds once to the result type.}]>;

def Dojo_CompareOp : Dojo_Op<"compare", [Pure]> {
  let summary = "Broadcasting elementwise comparison";
  let description = [{
    `lhs <predicate> rhs` elementwise with NumPy-style broadcasting of
    trailing dimensions; the result is `i1` (1 where the comparison holds).
    Operands have the same element type, float, integer or `i1`. Floats
    compare as IEEE values (`-0 == +0`; a NaN is unordered, so only `ne`
    holds), integers as signed values.

    ```mlir
    %m = dojo.compare lt %x, %y : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xi1>
    ```
  }];
  let arguments = (ins Dojo_ComparePredicateAttr:$predicate,
                       Dojo_AnyTensor:$lhs, Dojo_AnyTensor:$rhs);
  let results = (outs Dojo_BoolTensor:$result);
  let assemblyFormat = [{
    $predicate $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def Dojo_SelectOp : Dojo_Op<"select", [Pure]> {
  let summary = "Broadcasting elementwise choice by a boolean condition";
  let description = [{
    `condition ? true_value : false_value` elementwise; the three operands
    broadcast NumPy-style to the result shape. The values and the result
    have one element type (any); values are copied exactly.

    ```mlir
    %y = dojo.select %m, %x, %zero : tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Dojo_BoolTensor:$condition, Dojo_AnyTensor:$true_value,
                       Dojo_AnyTensor:$false_value);
  let results = (outs Dojo_AnyTensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:`
    type($condition) `,` type($true_value) `,` type($false_value) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

class Dojo_LogicalOp<string mnemonic, string what, string formula>
    : Dojo_Op<mnemonic, [Pure]> {
  let summary = "Broadcasting elementwise logical " # what;
  let description = [{
    `}] # formula # [{` elementwise on `i1` tensors with NumPy-style
    broadcasting of trailing dimensions.

    ```mlir
    %y = dojo.}] # mnemonic # [{ %a, %b : tensor<3x4xi1>, tensor<4xi1> -> tensor<3x4xi1>
    ```
  }];
  let arguments = (ins Dojo_BoolTensor:$lhs, Dojo_BoolTensor:$rhs);
  let results = (outs Dojo_BoolTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return verifyBroadcast(*this, getLhs().getType(), getRhs().getType(),
                             getResult().getType());
    }
  }];
}

def Dojo_LogicalAndOp : Dojo_LogicalOp<"logical_and", "and", "lhs and rhs">;
def Dojo_LogicalOrOp : Dojo_LogicalOp<"logical_or", "or", "lhs or rhs">;
def Dojo_LogicalXorOp : Dojo_LogicalOp<"logical_xor", "exclusive or",
    "lhs != rhs">;

def Dojo_LogicalNotOp : Dojo_Op<"logical_not",
    [Pure, SameOperandsAndResultType]> {
  let summary = "Elementwise logical negation";
  let description = [{
    `not x` elementwise on an `i1` tensor.

    ```mlir
    %y = dojo.logical_not %m : tensor<3x4xi1>
    ```
  }];
  let arguments = (ins Dojo_BoolTensor:$input);
  let results = (outs Dojo_BoolTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Dojo_ConvertOp : Dojo_Op<"convert", [Pure, SameOperandsAndResultShape]> {
  let summary = "Element type conversion between any two element types";
  let description = [{
    Converts every element, the shape unchanged:

    | from | to | value |
    |---|---|---|
    | float | float | as `dojo.cast` (nearest even) |
    | integer | float | the integer rounded to nearest even in FP32, then (for BF16) rounded once more to nearest even |
    | float | integer | truncated toward zero; NaN gives 0, values outside the integer type saturate to its minimum or maximum |
    | integer | narrower / wider integer | two's complement truncation / sign extension |
    | float or integer | `i1` | 1 if the value is not zero (NaN gives 1) |
    | `i1` | any | 0 or 1 (not -1) |

    ```mlir
    %y = dojo.convert %labels : tensor<8xi64> -> tensor<8xf32>
    ```
  }];
  let arguments = (ins Dojo_AnyTensor:$input);
  let results = (outs Dojo_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

class Dojo_ArgReduceOp<string mnemonic, string what>
    : Dojo_Op<mnemonic, [Pure]> {
  let summary = "Index of the " # what # " along one axis";
  let description = [{
    Along `axis`, the index (from 0) of the }] # what # [{ element: the first
    one, or the last one with `select_last_index`. A NaN counts as the
    }] # what # [{ (the first or last NaN wins); `-0` and `+0` are equal.
    The result drops `axis`, or keeps it as size 1 with `keepdim`; its
    element type is `i32` or `i64`.

    ```mlir
    %i = dojo.}] # mnemonic # [{ %x axis 1 keepdim : tensor<4x10xf32> -> tensor<4x1xi64>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input, I64Attr:$axis,
                       UnitAttr:$keepdim, UnitAttr:$select_last_index);
  let results = (outs Dojo_IndexTensor:$result);
  let assemblyFormat = [{
    $input `axis` $axis (`keepdim` $keepdim^)? attr-dict `:` type($input)
    `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return verifyArgReduce(*this);
    }
  }];
}

def Dojo_ArgMaxOp : Dojo_ArgReduceOp<"argmax", "largest">;
def Dojo_ArgMinOp : Dojo_ArgReduceOp<"argmin", "smallest">;

#endif // DOJO_OPS_TD
