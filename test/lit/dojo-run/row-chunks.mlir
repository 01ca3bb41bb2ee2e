// Row-chunked kernels (dojo-allocate-sram marks row-independent kernels of
// at least 32 tile rows that fit without reusing dead space; the ISA loads,
// computes and stores them in chunks of 16k rows, overlapping DMA and the
// vector unit). Softmax, layer_norm with broadcast scale and bias, and an
// elementwise chain with a row broadcast and a full-tile second input, on
// ragged tiles (1001 rows), compared bit for bit with the reference. The
// single-core run has one 1001-row tile (8 chunks, the last ragged).
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 3 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=tiny --mlir-print-ir-after=dojo-allocate-sram -o /dev/null 2>&1 | FileCheck %s --check-prefix=ALLOC
// RUN: dojo-run %s --target=tiny --verify --pass-options="dojo-allocate-sram{row-chunks=false}" --json %t.json | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// Three kernels are chunked: the softmax, the layer_norm and the
// elementwise chain (cast, mul, add, exp, at the exp's place, after the
// rank-1 cast of %g, which runs on one core, unchunked).
// ALLOC-COUNT-3: dojo.row_chunks = 8
// ALLOC-NOT: dojo.row_chunks
func.func @rows(%x: tensor<1001x77xbf16>, %g: tensor<77xbf16>, %b: tensor<77xbf16>,
                %y: tensor<1001x77xf32>)
    -> (tensor<1001x77xbf16>, tensor<1001x77xbf16>, tensor<1001x77xf32>) {
  %s = dojo.softmax %x axis 1 : tensor<1001x77xbf16>
  %l = dojo.layer_norm %x scale %g : tensor<77xbf16> bias %b : tensor<77xbf16> axis 1 {epsilon = 1.0e-05 : f32} : tensor<1001x77xbf16>
  %xf = dojo.cast %x : tensor<1001x77xbf16> -> tensor<1001x77xf32>
  %m = dojo.mul %xf, %y : tensor<1001x77xf32>, tensor<1001x77xf32> -> tensor<1001x77xf32>
  %gf = dojo.cast %g : tensor<77xbf16> -> tensor<77xf32>
  %a = dojo.add %m, %gf : tensor<1001x77xf32>, tensor<77xf32> -> tensor<1001x77xf32>
  %e = dojo.exp %a : tensor<1001x77xf32>
  return %s, %l, %e : tensor<1001x77xbf16>, tensor<1001x77xbf16>, tensor<1001x77xf32>
}
