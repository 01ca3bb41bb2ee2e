// A tall, narrow matmul with bias and relu: 3000 x 256 x 60.
func.func @main(%a: tensor<3000x256xbf16>, %b: tensor<256x60xbf16>,
                %bias: tensor<60xbf16>) -> tensor<3000x60xbf16> {
  %0 = dojo.matmul %a, %b : tensor<3000x256xbf16>, tensor<256x60xbf16> -> tensor<3000x60xbf16>
  %1 = dojo.add %0, %bias : tensor<3000x60xbf16>, tensor<60xbf16> -> tensor<3000x60xbf16>
  %2 = dojo.relu %1 : tensor<3000x60xbf16>
  return %2 : tensor<3000x60xbf16>
}
