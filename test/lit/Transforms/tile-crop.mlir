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
