func.func @pools_reductions(%x: tensor<1x7x7x4xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x3x3x4xf32>, tensor<1x1x7x4xf32>, tensor<1x7x7x1xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %a = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>}
      : (tensor<1x7x7x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  %m = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x7x7x4xf32>) -> tensor<1x3x3x4xf32>
  %s = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<1x7x7x4xf32>) -> tensor<1x1x7x4xf32>
  %r = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x7x7x4xf32>) -> tensor<1x7x7x1xf32>
  return %a, %m, %s, %r : tensor<1x4x4x4xf32>, tensor<1x3x3x4xf32>, tensor<1x1x7x4xf32>, tensor<1x7x7x1xf32>
}
