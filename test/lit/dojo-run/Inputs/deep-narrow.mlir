// A deep product (K = 1024 = 4 N, 1160 rows, 256 columns): on d1, `auto`
// places it packed (tiles of 14 columns on 18 x 19 cores) and
// dojo-schedule gathers its A (see ../gather-a.mlir).
func.func @deep(%x: tensor<1160x1024xbf16>, %w: tensor<1024x256xbf16>) -> tensor<1160x256xbf16> {
  %0 = dojo.matmul %x, %w : tensor<1160x1024xbf16>, tensor<1024x256xbf16> -> tensor<1160x256xbf16>
  %1 = dojo.relu %0 : tensor<1160x256xbf16>
  return %1 : tensor<1160x256xbf16>
}
