// Elementwise model for npy-io.test (shape differs from the MLP output).
func.func @relu(%x: tensor<32x16xbf16>) -> tensor<32x16xbf16> {
  %0 = dojo.relu %x : tensor<32x16xbf16>
  return %0 : tensor<32x16xbf16>
}
