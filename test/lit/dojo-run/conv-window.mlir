// Unit-stride convolutions as window products (dojo-decompose
// window-convs): 3x3 NHWC with bias and a ReLU after it, 19 x 21 images
// (odd, not multiples of 8), 12 -> 20 channels; 3x3 NCHW (to NHWC by
// transposes) with asymmetric padding, 25 x 27; a 2x3 kernel at batch 1 on
// 16 x 16. Each becomes a pad with one more zero image (rows and images
// share their padding: 20 x 22 positions per 19 x 21 image), a matmul
// with window offsets over the flattened padded input (kernels with
// overlapping A tiles, sent in row chunks) and a slice of the valid
// positions; dojo-tile folds the pad into the kernel's loads (pad_input)
// and the slice into its stores (crop; the bias add and rounding are the
// kernel's epilogue). Bit-exact against the
// reference interpreter's conv2d from one core up to the d1 mesh, also
// with the grids folded, without crop and with im2col.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify --seed 4 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed}" | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-decompose{window-convs=false}" | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-tile{crop=false}" | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --pass-options="dojo-schedule{pipeline-epilogue=false}" | FileCheck %s
// A kernel with crop as input: the reference interpreter runs the kernel
// (storing only the valid positions), the simulator its ISA.
// RUN: dojo-run %S/Inputs/crop-kernel.mlir --verify | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
//
// RUN: dojo-opt %s --dojo-pipeline=target=d1 --mlir-print-ir-after=dojo-tile -o /dev/null 2>&1 | FileCheck %s --check-prefix=TILE
// TILE: dojo.kernel {{.*}}crop = array<i64: 20, 22, 19, 21>, halos = array<i64: 46, 0, 0>, pad_input = array<i64: 3, 20, 22, 19, 21, 1, 1>} -> tensor<798x20xbf16>
// TILE: dojo.matmul {{.*}}window = array<i64: 0, 1, 2, 22, 23, 24, 44, 45, 46>
// TILE: dojo.add
// TILE: dojo.cast
// TILE-NOT: dojo.slice
// TILE: crop = array<i64: 26, 28, 24, 27>, {{.*}}pad_input = array<i64: 2, 26, 28, 25, 27, 0, 1>
// TILE: crop = array<i64: 16, 16, 15, 14>
// TILE-NOT: dojo.slice

// RUN: dojo-opt %s --dojo-pipeline=target=small --mlir-print-ir-after=dojo-decompose -o /dev/null 2>&1 | FileCheck %s --check-prefix=WIN
// WIN-COUNT-3: dojo.matmul {{.*}}window
// WIN-NOT: dojo.concat
// A 3x3 convolution on 5 x 6 images computes 7 x 8 positions for 30
// outputs, more than 3/2 as many: im2col.
// RUN: dojo-opt %S/Inputs/conv-small-image.mlir --dojo-decompose | FileCheck %s --check-prefix=SMALLIMG
// SMALLIMG-NOT: window
// SMALLIMG: dojo.concat
func.func @f(%x: tensor<2x19x21x12xbf16>, %w: tensor<3x3x12x20xbf16>, %b: tensor<20xbf16>,
             %y: tensor<1x8x25x27xbf16>, %v: tensor<12x8x3x3xbf16>,
             %z: tensor<1x16x16x4xbf16>, %u: tensor<2x3x4x8xbf16>)
    -> (tensor<2x19x21x20xbf16>, tensor<1x12x24x27xbf16>, tensor<1x15x14x8xbf16>) {
  %0 = dojo.conv2d %x, %w, %b layout nhwc {padding = array<i64: 1, 1, 1, 1>} : tensor<2x19x21x12xbf16>, tensor<3x3x12x20xbf16>, tensor<20xbf16> -> tensor<2x19x21x20xbf16>
  %1 = dojo.relu %0 : tensor<2x19x21x20xbf16>
  %2 = dojo.conv2d %y, %v {padding = array<i64: 0, 1, 1, 1>} : tensor<1x8x25x27xbf16>, tensor<12x8x3x3xbf16> -> tensor<1x12x24x27xbf16>
  %3 = dojo.conv2d %z, %u layout nhwc : tensor<1x16x16x4xbf16>, tensor<2x3x4x8xbf16> -> tensor<1x15x14x8xbf16>
  return %1, %2, %3 : tensor<2x19x21x20xbf16>, tensor<1x12x24x27xbf16>, tensor<1x15x14x8xbf16>
}
