// Elementwise model for npy-io.test.
func.func @relu(%x: tensor<16x32xbf16>) -> tensor<16x32xbf16> {
  %0 = dojo.relu %x : tensor<16x32xbf16>
  return %0 : tensor<16x32xbf16>
}
