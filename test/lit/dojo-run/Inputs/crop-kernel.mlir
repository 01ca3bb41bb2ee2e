// A window product's kernel with `crop` as dojo-tile leaves it (the 2x3
// convolution of conv-window.mlir on 16 x 16 images, batch 1, 4 -> 8
// channels, flattened input with one zero image after it): 16 logical rows
// of 4 x 4 tiles per grid row, of which only the 15 x 14 valid positions
// of each image are the result.
module attributes {dojo.target = #dojo.target<small>} {
  func.func @f(%x: tensor<512x4xbf16>, %w: tensor<24x8xbf16>) -> tensor<210x8xbf16> {
    %0 = dojo.kernel grid [4, 4] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>, affine_map<(i, j) -> (i, j)>]
        ins(%x, %w : tensor<512x4xbf16>, tensor<24x8xbf16>)
        attributes {crop = array<i64: 16, 16, 15, 14>, halos = array<i64: 18, 0>} -> tensor<210x8xbf16> {
    ^bb0(%a: tensor<82x4xbf16>, %b: tensor<24x2xbf16>):
      %m = dojo.matmul %a, %b {window = array<i64: 0, 1, 2, 16, 17, 18>} : tensor<82x4xbf16>, tensor<24x2xbf16> -> tensor<64x2xbf16>
      dojo.yield %m : tensor<64x2xbf16>
    }
    return %0 : tensor<210x8xbf16>
  }
}
