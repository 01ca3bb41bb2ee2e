//===- DojoOps.td - dojo dialect operations -----------------*- tablegen -*-===//

#ifndef DOJO_OPS_TD
#define DOJO_OPS_TD

include "Dojo/DojoDialect.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Dojo_FloatTensor : RankedTensorOf<[F32, BF16]>;

//===----------------------------------------------------------------------===//
// Compute ops
//===----------------------------------------------------------------------===//

def Dojo_MatmulOp : Dojo_Op<"matmul", [Pure]> {
  let summary = "Matrix multiplication with FP32 accumulation";
  let description = [{
    `C = A x B` for `A: MxK`, `B: KxN`. Products are formed exactly and
    accumulated in FP32 in ascending `k`, then rounded once (nearest even) to
    the result element type, as the matrix unit does.

    ```mlir
    %c = dojo.matmul %a, %b : tensor<256x512xbf16>, tensor<512x1024xbf16> -> tensor<256x1024xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$lhs, Dojo_FloatTensor:$rhs);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

class Dojo_BinaryOp<string mnemonic, string what> : Dojo_Op<mnemonic, [Pure]> {
  let summary = "Broadcasting elementwise " # what;
  let description = [{
    Elementwise }] # what # [{ with NumPy-style broadcasting of trailing
    dimensions. Computed in FP32 and rounded once to the result type.

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
}

def Dojo_AddOp : Dojo_BinaryOp<"add", "addition">;

def Dojo_ReluOp : Dojo_Op<"relu", [Pure, SameOperandsAndResultType]> {
  let summary = "Rectified linear unit";
  let description = [{
    `max(x, 0)` elementwise; NaN propagates.

    ```mlir
    %y = dojo.relu %x : tensor<256x1024xbf16>
    ```
  }];
  let arguments = (ins Dojo_FloatTensor:$input);
  let results = (outs Dojo_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
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
    `map(g) * tile_shape`. Tiles must cover their tensors exactly.

    Later passes annotate the kernel: `place` (mesh rectangle `[row, col,
    height, width]`; grid point `k` in row-major order runs on the `k`-th
    enabled core of the rectangle), `arg_offsets` (SRAM offsets of the input
    tiles), `sram_bytes` (peak SRAM per core), `sems` (semaphores used by
    the schedule) and `k_chunks` (the schedule streams the operands of the
    leading matmul in this many slices of K, so loads overlap the matrix
    unit).

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
                       OptionalAttr<DenseI64ArrayAttr>:$place,
                       OptionalAttr<DenseI64ArrayAttr>:$arg_offsets,
                       OptionalAttr<I64Attr>:$sram_bytes,
                       OptionalAttr<DenseI64ArrayAttr>:$sems,
                       OptionalAttr<I64Attr>:$k_chunks);
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
    /// Tile shape of input `i` (its block argument type).
    ::mlir::RankedTensorType inputTileType(unsigned i);
    /// Tile shape of the result (the yielded type).
    ::mlir::RankedTensorType resultTileType();
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

#endif // DOJO_OPS_TD
