func.func @main(%x: tensor<6272x1024xbf16>, %w: tensor<1024x128xbf16>) -> tensor<6272x128xbf16> {
  %0 = dojo.matmul %x, %w : tensor<6272x1024xbf16>, tensor<1024x128xbf16> -> tensor<6272x128xbf16>
  return %0 : tensor<6272x128xbf16>
}
