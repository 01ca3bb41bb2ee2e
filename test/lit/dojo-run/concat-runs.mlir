// A concat whose consecutive inputs continue one another along its axis in
// edge memory is copied as one transfer per run (lowerCopyOp): the im2col
// of a 7x7 stride-2 convolution over a 3-channel image (ResNet's stem,
// small) concatenates 49 windows of 3 channels; the 7 windows of one
// kernel row are 7 consecutive pixels of the padded image, so each output
// position reads rows of 21 contiguous elements (42 bytes; the rows of
// neighbouring positions overlap, 12 bytes apart) instead of 7 rows of 3.
// Bit-exact against the reference on every preset.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 2 | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// ISA-COUNT-14: dojoisa.dma.ld {{.*}} rows = 9, bytes = 42, dstride = 42, sstride = 12
// ISA-NOT: bytes = 6,
func.func @stem(%x: tensor<2x20x18x3xbf16>, %w: tensor<7x7x3x8xbf16>, %b: tensor<8xbf16>) -> tensor<2x10x9x8xbf16> {
  %y = dojo.conv2d %x, %w, %b layout nhwc {strides = array<i64: 2, 2>, padding = array<i64: 3, 3, 3, 3>} : tensor<2x20x18x3xbf16>, tensor<7x7x3x8xbf16>, tensor<8xbf16> -> tensor<2x10x9x8xbf16>
  return %y : tensor<2x10x9x8xbf16>
}
