// A window product's kernel with `pad_input` as dojo-tile leaves it
// (Inputs/fold-pad-window.mlir on small): input 0 is the 5 x 30 image's
// 150 rows, read as its 2 x 7 x 32 zero padding.
module attributes {dojo.target = #dojo.target<small>} {
  func.func @wide(%x: tensor<1x5x30x4xbf16>, %w: tensor<36x8xbf16>) -> tensor<224x8xf32> {
    %0 = dojo.reshape %x : tensor<1x5x30x4xbf16> -> tensor<150x4xbf16>
    %1 = dojo.kernel grid [4, 4] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>, affine_map<(i, j) -> (i, j)>]
        ins(%0, %w : tensor<150x4xbf16>, tensor<36x8xbf16>)
        attributes {halos = array<i64: 66, 0>, pad_input = array<i64: 2, 7, 32, 5, 30, 1, 1>} -> tensor<224x8xf32> {
    ^bb0(%a: tensor<122x4xbf16>, %b: tensor<36x2xbf16>):
      %m = dojo.matmul %a, %b {window = array<i64: 0, 1, 2, 32, 33, 34, 64, 65, 66>} : tensor<122x4xbf16>, tensor<36x2xbf16> -> tensor<56x2xf32>
      dojo.yield %m : tensor<56x2xf32>
    }
    return %1 : tensor<224x8xf32>
  }
}
