func.func @movement(%x: tensor<2x3x4xf32>, %y: tensor<2x1x4xf32>, %t: tensor<1x10x8xbf16>, %i: tensor<1x5xi32>)
    -> (tensor<4x2x3xf32>, tensor<6x4xf32>, tensor<2x4x4xf32>, tensor<1x2x3xf32>, tensor<3x4x6xf32>, tensor<1x5x8xbf16>, tensor<2x3x4xbf16>) {
  %tr = tosa.transpose %x {perms = array<i32: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %shape = tosa.const_shape {values = dense<[6, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %re = tosa.reshape %x, %shape : (tensor<2x3x4xf32>, !tosa.shape<2>) -> tensor<6x4xf32>
  %cc = tosa.concat %x, %y {axis = 1 : i32} : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x4x4xf32>
  %start = tosa.const_shape {values = dense<[1, 0, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %size = tosa.const_shape {values = dense<[1, 2, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sl = tosa.slice %x, %start, %size : (tensor<2x3x4xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x2x3xf32>
  %pads = tosa.const_shape {values = dense<[0, 1, 1, 0, 2, 0]> : tensor<6xindex>} : () -> !tosa.shape<6>
  %pv = "tosa.const"() <{values = dense<-2.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %pd = tosa.pad %x, %pads, %pv : (tensor<2x3x4xf32>, !tosa.shape<6>, tensor<1xf32>) -> tensor<3x4x6xf32>
  %g = tosa.gather %t, %i : (tensor<1x10x8xbf16>, tensor<1x5xi32>) -> tensor<1x5x8xbf16>
  %ca = tosa.cast %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xbf16>
  return %tr, %re, %cc, %sl, %pd, %g, %ca : tensor<4x2x3xf32>, tensor<6x4xf32>, tensor<2x4x4xf32>, tensor<1x2x3xf32>, tensor<3x4x6xf32>, tensor<1x5x8xbf16>, tensor<2x3x4xbf16>
}
