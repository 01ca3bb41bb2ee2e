func.func @f(%x: tensor<4x1000xf32>) -> tensor<4x1002xf32> {
  %p = dojo.pad %x low [0, 1] high [0, 1] value 0.0 : tensor<4x1000xf32> -> tensor<4x1002xf32>
  return %p : tensor<4x1002xf32>
}
