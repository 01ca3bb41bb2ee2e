//===- Passes.td - dojo conversion passes -------------------*- tablegen -*-===//

#ifndef DOJO_CONVERSION_PASSES_TD
#define DOJO_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertLinalgToDojo : Pass<"convert-linalg-to-dojo", "mlir::func::FuncOp"> {
  let summary = "Convert linalg and tensor shape ops on tensors to dojo graph ops";
  let description = [{
    Rewrites, op by op in program order:

    - `linalg.matmul` / `linalg.batch_matmul` (default or transposed
      `indexing_maps`) to `dojo.matmul` / `dojo.batch_matmul` with
      `transpose_lhs` / `transpose_rhs`; a non-zero init is added after the
      product (`dojo.add`), an uninitialized (`tensor.empty`) one is an
      error;
    - `linalg.conv_2d_nchw_fchw`, `conv_2d_nhwc_hwcf`, `conv_2d_nhwc_fhwc`,
      `depthwise_conv_2d_nchw_chw`, `depthwise_conv_2d_nhwc_hwc` and
      `depthwise_conv_2d_nhwc_hwcm` to `dojo.conv2d` (weights transposed or
      reshaped to OIHW/HWIO; an init that broadcasts a per-channel vector
      becomes the bias operand);
    - `linalg.pooling_{nchw,nhwc}_max` (init -inf) to `dojo.max_pool2d`, and
      `linalg.pooling_{nchw,nhwc}_sum` whose result is divided by the window
      size to `dojo.avg_pool2d` with `count_include_pad`;
    - `linalg.reduce` of `arith.addf` / `arith.maximumf` to
      `dojo.reduce_sum` / `dojo.reduce_max`;
    - named elementwise ops (`add`, `sub`, `mul`, `div`, `max`, `min`,
      `exp`, `log`, `sqrt`, `rsqrt`, `tanh`, `reciprocal`),
      `linalg.elementwise` with identity maps, and `linalg.generic` ops
      whose body is one `arith.addf/subf/mulf/divf/maximumf/minimumf`,
      `math.exp/log/sqrt/rsqrt/tanh` or `arith.extf/truncf` on inputs read
      through broadcasting maps, to the dojo elementwise ops (`max(x, 0)` is
      `dojo.relu`); operands of another element type get a `dojo.cast`;
    - `linalg.broadcast` and copy-only broadcasting generics are folded into
      the broadcasting dojo ops that consume them (with a `dojo.reshape`
      inserting unit dimensions);
    - `linalg.transpose` to `dojo.transpose`, `tensor.collapse_shape` /
      `expand_shape` to `dojo.reshape`, `tensor.extract_slice` to
      `dojo.slice` (+ reshape when rank-reducing), `tensor.pad` with a
      constant to `dojo.pad`, `tensor.concat` to `dojo.concat`.

    Dead fills, empties and constants are removed afterwards. Any other
    linalg op, or one on element types other than f32/bf16, is an error
    naming the op.
  }];
  let dependentDialects = ["::dojo::DojoDialect"];
}

def ConvertTosaToDojo : Pass<"convert-tosa-to-dojo", "mlir::func::FuncOp"> {
  let summary = "Convert float TOSA ops to dojo graph ops";
  let description = [{
    Rewrites `tosa.matmul` (-> `dojo.batch_matmul`), `conv2d` (OHWI weights
    transposed to HWIO), `depthwise_conv2d` (`[KH, KW, C, M]` weights
    reshaped to `[KH, KW, 1, C*M]`, `groups = C`), `avg_pool2d` (TOSA
    divides by the in-bounds count: `count_include_pad` unset),
    `max_pool2d`, `add`, `sub`, `mul` (shift must be 0), `maximum`,
    `minimum`, `reciprocal`, `exp`, `log`, `tanh`, `sigmoid`, `rsqrt`,
    `reduce_sum` / `reduce_max` (keepdim), `transpose`, `reshape`,
    `concat`, `slice`, `pad`, `gather` (one table: `N = 1`), `cast`
    (f32/bf16) and `clamp(0, +inf)` (-> `dojo.relu`). All layouts are NHWC;
    TOSA's padding `[top, bottom, left, right]` becomes dojo's `[top, left,
    bottom, right]`.

    Zero points and shifts must be constant zeros, `acc_type` f32 and
    `nan_mode` PROPAGATE. A zero bias is dropped; a `[1]` bias is added
    after the convolution. Shape and zero-point constants are erased;
    other `tosa.const` tensors (weights) are errors: dojo graphs take
    tensors as function arguments. Any other tosa op is an error naming it.
  }];
  let dependentDialects = ["::dojo::DojoDialect"];
}

def ConvertDojoToISA : Pass<"convert-dojo-to-isa", "mlir::ModuleOp"> {
  let summary = "Lower placed, allocated and scheduled kernels to the core ISA";
  let description = [{
    Builds one `dojoisa.program` per module from its single function: edge
    memory for arguments, kernel results and function results, the logical
    cores (the union of every kernel's cores), and one SPMD code section in
    which each core derives its grid point and tile addresses from
    `csrr coreid`. Each kernel becomes DMA loads, a semaphore wait, matrix
    and vector instructions, a DMA store and a wait; `dojo.barrier` becomes
    `barrier`. The function is erased.

    `edge-routes` chooses the edge each core reaches edge memory through
    (the per-thread CSR `edge_mask`): `nearest` leaves every core on its
    nearest edge, whose ports in the middle of a side then serve up to
    half a mesh column each; `balanced` (default) sends the cores with an
    even `row + col` to the nearer of the north and south edges and the
    others to the nearer of east and west, so that every edge port serves
    about `cores / (2 x (rows + cols))` of them at about the same mean
    distance. It applies to the threads that store tiles and run copies
    (thread 0, the pipelined epilogues) and to A loads of grid rows of one
    core; multicast senders and broadcast-B loaders, placed next to the
    edges they load from, keep the nearest edge (measured on d1: with
    them balanced too, the cross-grid 1x1 convolutions of ResNet-50's
    conv4 got 9.7K -> 15.6K cycles slower), except the broadcast-B
    loaders of folded grids whose rows multicast A from one sender: they
    sit in a low grid column, whose mesh rows' cores load A from the west
    edge, and load from the nearer of north and south instead (d1:
    6272 x 128 x 512, 8064 -> 7393 cycles).
  }];
  let options = [
    Option<"edgeRoutes", "edge-routes", "std::string", /*default=*/"\"balanced\"",
           "Edge each core's dma.ld / dma.st use: balanced or nearest">,
  ];
  let dependentDialects = ["::dojo::isa_ir::DojoISADialect"];
}

#endif // DOJO_CONVERSION_PASSES_TD
