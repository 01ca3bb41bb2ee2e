// RUN: dojo-opt %s | FileCheck %s
// Round trip: print, parse again, print the same.
// RUN: dojo-opt %s | dojo-opt | FileCheck %s
// Generic form round trip.
// RUN: dojo-opt %s --mlir-print-op-generic | dojo-opt | FileCheck %s

// CHECK-LABEL: func.func @math
func.func @math(%x: tensor<4x8xf32>, %y: tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK: dojo.sin %{{.*}} : tensor<4x8xf32>
  %0 = dojo.sin %x : tensor<4x8xf32>
  // CHECK: dojo.cos
  %1 = dojo.cos %0 : tensor<4x8xf32>
  // CHECK: dojo.tan
  %2 = dojo.tan %1 : tensor<4x8xf32>
  // CHECK: dojo.asin
  %3 = dojo.asin %2 : tensor<4x8xf32>
  // CHECK: dojo.acos
  %4 = dojo.acos %3 : tensor<4x8xf32>
  // CHECK: dojo.atan
  %5 = dojo.atan %4 : tensor<4x8xf32>
  // CHECK: dojo.sinh
  %6 = dojo.sinh %5 : tensor<4x8xf32>
  // CHECK: dojo.cosh
  %7 = dojo.cosh %6 : tensor<4x8xf32>
  // CHECK: dojo.asinh
  %8 = dojo.asinh %7 : tensor<4x8xf32>
  // CHECK: dojo.acosh
  %9 = dojo.acosh %8 : tensor<4x8xf32>
  // CHECK: dojo.atanh
  %10 = dojo.atanh %9 : tensor<4x8xf32>
  // CHECK: dojo.erf
  %11 = dojo.erf %10 : tensor<4x8xf32>
  // CHECK: dojo.floor
  %12 = dojo.floor %11 : tensor<4x8xf32>
  // CHECK: dojo.ceil
  %13 = dojo.ceil %12 : tensor<4x8xf32>
  // CHECK: dojo.round
  %14 = dojo.round %13 : tensor<4x8xf32>
  // CHECK: dojo.sign
  %15 = dojo.sign %14 : tensor<4x8xf32>
  // CHECK: dojo.pow %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %16 = dojo.pow %15, %y : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  // CHECK: dojo.fmod %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %17 = dojo.fmod %16, %y : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  return %17 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @reduce_prod
func.func @reduce_prod(%x: tensor<4x8xbf16>) -> tensor<4x1xbf16> {
  // CHECK: dojo.reduce_prod %{{.*}} axes [1] keepdim : tensor<4x8xbf16> -> tensor<4x1xbf16>
  %0 = dojo.reduce_prod %x axes [1] keepdim : tensor<4x8xbf16> -> tensor<4x1xbf16>
  return %0 : tensor<4x1xbf16>
}

// CHECK-LABEL: func.func @compare_select
func.func @compare_select(%x: tensor<4x8xf32>, %y: tensor<8xf32>, %i: tensor<4x1xi64>, %j: tensor<8xi64>) -> (tensor<4x8xf32>, tensor<4x8xi64>) {
  // CHECK: dojo.compare lt %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xi1>
  %0 = dojo.compare lt %x, %y : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xi1>
  // CHECK: dojo.compare eq %{{.*}}, %{{.*}} : tensor<4x1xi64>, tensor<8xi64> -> tensor<4x8xi1>
  %1 = dojo.compare eq %i, %j : tensor<4x1xi64>, tensor<8xi64> -> tensor<4x8xi1>
  // CHECK: dojo.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x8xi1>, tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %2 = dojo.select %0, %x, %y : tensor<4x8xi1>, tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  // CHECK: dojo.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x8xi1>, tensor<4x1xi64>, tensor<8xi64> -> tensor<4x8xi64>
  %3 = dojo.select %1, %i, %j : tensor<4x8xi1>, tensor<4x1xi64>, tensor<8xi64> -> tensor<4x8xi64>
  return %2, %3 : tensor<4x8xf32>, tensor<4x8xi64>
}

// CHECK-LABEL: func.func @logical
func.func @logical(%a: tensor<3x4xi1>, %b: tensor<4xi1>) -> tensor<3x4xi1> {
  // CHECK: dojo.logical_and %{{.*}}, %{{.*}} : tensor<3x4xi1>, tensor<4xi1> -> tensor<3x4xi1>
  %0 = dojo.logical_and %a, %b : tensor<3x4xi1>, tensor<4xi1> -> tensor<3x4xi1>
  // CHECK: dojo.logical_or
  %1 = dojo.logical_or %0, %b : tensor<3x4xi1>, tensor<4xi1> -> tensor<3x4xi1>
  // CHECK: dojo.logical_xor
  %2 = dojo.logical_xor %1, %a : tensor<3x4xi1>, tensor<3x4xi1> -> tensor<3x4xi1>
  // CHECK: dojo.logical_not %{{.*}} : tensor<3x4xi1>
  %3 = dojo.logical_not %2 : tensor<3x4xi1>
  return %3 : tensor<3x4xi1>
}

// CHECK-LABEL: func.func @convert
func.func @convert(%x: tensor<8xf32>, %i: tensor<8xi64>) -> (tensor<8xi8>, tensor<8xbf16>, tensor<2x4xi1>) {
  // CHECK: dojo.convert %{{.*}} : tensor<8xf32> -> tensor<8xi8>
  %0 = dojo.convert %x : tensor<8xf32> -> tensor<8xi8>
  // CHECK: dojo.convert %{{.*}} : tensor<8xi64> -> tensor<8xbf16>
  %1 = dojo.convert %i : tensor<8xi64> -> tensor<8xbf16>
  // CHECK: dojo.convert %{{.*}} : tensor<8xi64> -> tensor<8xi1>
  %2 = dojo.convert %i : tensor<8xi64> -> tensor<8xi1>
  // CHECK: dojo.reshape %{{.*}} : tensor<8xi1> -> tensor<2x4xi1>
  %3 = dojo.reshape %2 : tensor<8xi1> -> tensor<2x4xi1>
  return %0, %1, %3 : tensor<8xi8>, tensor<8xbf16>, tensor<2x4xi1>
}

// CHECK-LABEL: func.func @argmax
func.func @argmax(%x: tensor<4x10xf32>) -> (tensor<4x1xi64>, tensor<10xi32>) {
  // CHECK: dojo.argmax %{{.*}} axis 1 keepdim : tensor<4x10xf32> -> tensor<4x1xi64>
  %0 = dojo.argmax %x axis 1 keepdim : tensor<4x10xf32> -> tensor<4x1xi64>
  // CHECK: dojo.argmin %{{.*}} axis 0 {select_last_index} : tensor<4x10xf32> -> tensor<10xi32>
  %1 = dojo.argmin %x axis 0 {select_last_index} : tensor<4x10xf32> -> tensor<10xi32>
  return %0, %1 : tensor<4x1xi64>, tensor<10xi32>
}
