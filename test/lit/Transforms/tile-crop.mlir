// dojo-tile folds the slice of a window product's valid positions into the
// product's kernel (crop): 2 images of 6 x 7 padded positions (the last
// image is the extra zero image dojo-decompose appends), 4 x 5 outputs
// each; the kernel tiles the 2 x 42 logical rows and returns the 40 valid
// ones, reshaped to the slice's type. With crop=false the slice stays.
// RUN: dojo-opt %s --dojo-tile | FileCheck %s
// RUN: dojo-opt %s --dojo-tile=crop=false | FileCheck %s --check-prefix=OFF
// CHECK-LABEL: func.func @valid
// CHECK: %[[K:.*]] = dojo.kernel {{.*}}crop = array<i64: 6, 7, 4, 5>{{.*}} -> tensor<40x8xf32>
// CHECK: dojo.matmul {{.*}}window = array<i64: 0, 1, 7, 8>
// CHECK-NOT: dojo.slice
// CHECK: %[[R:.*]] = dojo.reshape %[[K]] : tensor<40x8xf32> -> tensor<2x4x5x8xf32>
// CHECK: return %[[R]]
// OFF-LABEL: func.func @valid
// OFF-NOT: crop
// OFF: dojo.slice
//
// A slice that does not start at position 0 (or keeps the result used
// elsewhere) is not a crop.
// CHECK-LABEL: func.func @shifted
// CHECK-NOT: crop
// CHECK: dojo.slice
// CHECK-LABEL: func.func @twice
// CHECK-NOT: crop
// CHECK: dojo.slice
//
// Bit-exact on the simulator, one core to d1, with and without crop.
// (@valid alone in Inputs/crop-window.mlir: dojo-run takes one function.)
// RUN: dojo-run %S/../dojo-run/Inputs/crop-window.mlir --target="tiny rows=1 cols=1" --verify | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %S/../dojo-run/Inputs/crop-window.mlir --target=small --verify | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %S/../dojo-run/Inputs/crop-window.mlir --target=d1 --verify | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %S/../dojo-run/Inputs/crop-window.mlir --target=small --verify --pass-options="dojo-tile{crop=false}" | FileCheck %s --check-prefix=SIM
// SIM: verdict: PASS (max abs err 0, max rel err 0), bit-exact
//
// The kernel stores its valid positions run by run: a run of positions in
// one image row's valid part (at most 5 here) is one store per set bit of
// its length (4, 2, 1 rows), counted in r30; the padding to the next
// image row is skipped; after the last chunk's stores the epilogue thread
// waits for the r30 stores one count at a time.
// RUN: dojo-opt %S/../dojo-run/Inputs/crop-window.mlir --dojo-pipeline=target=small | FileCheck %s --check-prefix=RUNS
// RUNS: dojoisa.li r30, value = 0
// RUNS: dojoisa.andi r2, r14, imm = 4
// RUNS-NEXT: dojoisa.beq r2, r0
// RUNS-NEXT: dojoisa.dma.st r6, r7, rows = 4, bytes = 8, dstride = 32, sstride = 8, sem = 1
// RUNS-NEXT: dojoisa.addi r30, r30, imm = 1
// RUNS: dojoisa.dma.st r6, r7, rows = 2,
// RUNS: dojoisa.dma.st r6, r7, rows = 1,
// RUNS: dojoisa.beq r30, r0
// RUNS-NEXT: dojoisa.sem.wait sem = 1, count = 1
// RUNS-NEXT: dojoisa.addi r30, r30, imm = -1
module attributes {dojo.target = #dojo.target<small>} {
func.func @valid(%a: tensor<126x4xbf16>, %b: tensor<16x8xbf16>) -> tensor<2x4x5x8xf32> {
  %0 = dojo.matmul %a, %b {window = array<i64: 0, 1, 7, 8>} : tensor<126x4xbf16>, tensor<16x8xbf16> -> tensor<84x8xf32>
  %1 = dojo.reshape %0 : tensor<84x8xf32> -> tensor<2x6x7x8xf32>
  %2 = dojo.slice %1 offsets [0, 0, 0, 0] sizes [2, 4, 5, 8] strides [1, 1, 1, 1] : tensor<2x6x7x8xf32> -> tensor<2x4x5x8xf32>
  return %2 : tensor<2x4x5x8xf32>
}
func.func @shifted(%a: tensor<126x4xbf16>, %b: tensor<16x8xbf16>) -> tensor<2x4x5x8xf32> {
  %0 = dojo.matmul %a, %b {window = array<i64: 0, 1, 7, 8>} : tensor<126x4xbf16>, tensor<16x8xbf16> -> tensor<84x8xf32>
  %1 = dojo.reshape %0 : tensor<84x8xf32> -> tensor<2x6x7x8xf32>
  %2 = dojo.slice %1 offsets [0, 1, 0, 0] sizes [2, 4, 5, 8] strides [1, 1, 1, 1] : tensor<2x6x7x8xf32> -> tensor<2x4x5x8xf32>
  return %2 : tensor<2x4x5x8xf32>
}
func.func @twice(%a: tensor<126x4xbf16>, %b: tensor<16x8xbf16>) -> (tensor<2x4x5x8xf32>, tensor<84x8xf32>) {
  %0 = dojo.matmul %a, %b {window = array<i64: 0, 1, 7, 8>} : tensor<126x4xbf16>, tensor<16x8xbf16> -> tensor<84x8xf32>
  %1 = dojo.reshape %0 : tensor<84x8xf32> -> tensor<2x6x7x8xf32>
  %2 = dojo.slice %1 offsets [0, 0, 0, 0] sizes [2, 4, 5, 8] strides [1, 1, 1, 1] : tensor<2x6x7x8xf32> -> tensor<2x4x5x8xf32>
  return %2, %0 : tensor<2x4x5x8xf32>, tensor<84x8xf32>
}
}
