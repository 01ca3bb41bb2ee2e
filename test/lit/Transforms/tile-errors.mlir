// RUN: dojo-opt %s --split-input-file --dojo-tile --verify-diagnostics

// expected-error @+1 {{no machine description: set the module attribute 'dojo.target'}}
func.func @no_target(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = dojo.relu %x : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

module attributes {dojo.target = #dojo.target<tiny>} {
func.func @rank3(%x: tensor<2x4x4xf32>) -> tensor<2x4x4xf32> {
  // expected-error @+1 {{has rank 3; dojo-tile supports rank 1 and 2}}
  %0 = dojo.relu %x : tensor<2x4x4xf32>
  return %0 : tensor<2x4x4xf32>
}
}

// -----

// Graph ops without a kernel (conv2d, softmax over a leading axis,
// transposed matmuls: dojo-decompose rewrites them) are located errors,
// all reported at once.
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @untiled(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %a: tensor<8x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'dojo.conv2d' has no kernel; run dojo-decompose first}}
  %0 = dojo.conv2d %x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  // expected-error @+1 {{'dojo.softmax' has no kernel; run dojo-decompose first}}
  %1 = dojo.softmax %a axis 0 : tensor<8x4xf32>
  // expected-error @+1 {{'dojo.matmul' with transpose_lhs or transpose_rhs has no kernel; run dojo-decompose first}}
  %2 = dojo.matmul %a, %1 {transpose_lhs} : tensor<8x4xf32>, tensor<8x4xf32> -> tensor<4x4xf32>
  return %2 : tensor<4x4xf32>
}
}


// -----

// A transpose none of whose pieces (by its input columns, at most 1024)
// fits a core of a one-core mesh, split over its rows or columns or not:
// the error names the smallest piece and its bytes.
module attributes {dojo.target = #dojo.target<tiny, rows = 1, cols = 1>} {
func.func @transpose_too_big(%x: tensor<400000x2xbf16>) -> tensor<2x400000xbf16> {
  // expected-error @+1 {{'dojo.transpose' op has no tiling that fits: its smallest piece, 400000 x 1 elements in and out (1600000 bytes on one core, or split over its rows or columns), does not fit the 1310720 bytes of a core's SRAM (at most 1024 pieces)}}
  %0 = dojo.transpose %x perm [1, 0] : tensor<400000x2xbf16> -> tensor<2x400000xbf16>
  return %0 : tensor<2x400000xbf16>
}
}
