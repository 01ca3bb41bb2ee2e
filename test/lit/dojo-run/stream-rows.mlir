// Row-independent kernels whose tiles do not fit in SRAM stream them
// through two sets of chunk-sized buffers (dojo-tile marks them
// dojo.stream_rows; dojo-allocate-sram picks the chunk: 64 rows here):
// chunk c + 1 loads while chunk c computes, chunk c stores while c + 1
// computes. A 2100 x 650 FP32 softmax (5.5 MB), layer_norm with broadcast
// scale and bias, and an elementwise op with a row broadcast and a second
// full-size input, on one core, on 4 and on 16; bit-exact against the
// reference.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-opt %s "--dojo-pipeline=target='tiny rows=1 cols=1' print-memory-map=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MAP
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// MAP: kernel grid [1]
// MAP-NEXT: streamed in 64-row chunks through two buffer sets, the second at +
// MAP-NEXT: input 0 tile tensor<2100x650xf32> (64-row chunk)
func.func @f(%x: tensor<2100x650xf32>, %g: tensor<650xf32>, %b: tensor<650xf32>,
             %y: tensor<2100x650xf32>)
    -> (tensor<2100x650xf32>, tensor<2100x650xf32>, tensor<2100x650xf32>) {
  %s = dojo.softmax %x axis 1 : tensor<2100x650xf32>
  %l = dojo.layer_norm %x scale %g : tensor<650xf32> bias %b : tensor<650xf32> axis 1 {epsilon = 1.0e-05 : f32} : tensor<2100x650xf32>
  %m = dojo.mul %x, %y : tensor<2100x650xf32>, tensor<2100x650xf32> -> tensor<2100x650xf32>
  %a = dojo.add %m, %g : tensor<2100x650xf32>, tensor<650xf32> -> tensor<2100x650xf32>
  return %s, %l, %a : tensor<2100x650xf32>, tensor<2100x650xf32>, tensor<2100x650xf32>
}

// A single row wider than SRAM cannot stream: the located error with the
// byte breakdown of the whole tile.
// RUN: not dojo-opt %S/Inputs/wide-row.mlir --dojo-pipeline=target=tiny -o /dev/null 2>&1 | FileCheck %s --check-prefix=WIDE
// WIDE: wide-row.mlir:3:8: error: kernel does not fit in SRAM: core (0, 0) needs 4800128 bytes but only 1310720 bytes are free
// WIDE: note: input tile 0: 1600000 bytes
