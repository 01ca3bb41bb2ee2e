// RUN: dojo-opt %s --split-input-file --verify-diagnostics

func.func @contraction(%a: tensor<8x4xbf16>, %b: tensor<5x16xbf16>) {
  // expected-error @+1 {{contraction sizes differ: lhs has 4 columns, rhs has 5 rows}}
  %0 = dojo.matmul %a, %b : tensor<8x4xbf16>, tensor<5x16xbf16> -> tensor<8x16xbf16>
  return
}

// -----

func.func @matmul_result(%a: tensor<8x4xbf16>, %b: tensor<4x16xbf16>) {
  // expected-error @+1 {{result shape must be 8x16}}
  %0 = dojo.matmul %a, %b : tensor<8x4xbf16>, tensor<4x16xbf16> -> tensor<8x8xbf16>
  return
}

// -----

func.func @matmul_types(%a: tensor<8x4xbf16>, %b: tensor<4x16xf32>) {
  // expected-error @+1 {{operand element types differ}}
  %0 = dojo.matmul %a, %b : tensor<8x4xbf16>, tensor<4x16xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @broadcast(%a: tensor<8x16xbf16>, %b: tensor<8xbf16>) {
  // expected-error @+1 {{operands are not broadcast-compatible in dimension 1: 16 vs 8}}
  %0 = dojo.add %a, %b : tensor<8x16xbf16>, tensor<8xbf16> -> tensor<8x16xbf16>
  return
}

// -----

func.func @add_types(%a: tensor<8x16xbf16>, %b: tensor<16xf32>) {
  // expected-error @+1 {{operand and result element types must match}}
  %0 = dojo.add %a, %b : tensor<8x16xbf16>, tensor<16xf32> -> tensor<8x16xbf16>
  return
}

// -----

func.func @int_relu(%a: tensor<8xi32>) {
  // expected-error @+1 {{must be ranked tensor of 32-bit float or bfloat16 type values}}
  %0 = dojo.relu %a : tensor<8xi32>
  return
}

// -----

func.func @kernel_cover(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{input 0 tiles of size 2 over 2 block(s) do not cover dimension 0 of size 8}}
  %0 = dojo.kernel grid [2] maps [affine_map<(i) -> (i, 0)>, affine_map<(i) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<2x4xbf16>):
    dojo.yield %t : tensor<2x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_empty_tile(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{input 0 tiles of size 4 over 3 block(s) do not cover dimension 0 of size 8}}
  %0 = dojo.kernel grid [3] maps [affine_map<(i) -> (i, 0)>, affine_map<(i) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_maps(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{expects one map per input plus one for the result, got 1}}
  %0 = dojo.kernel grid [2] maps [affine_map<(i) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_grid(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{grid sizes must be positive}}
  %0 = dojo.kernel grid [0] maps [affine_map<(i) -> (i, 0)>, affine_map<(i) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_fold_1d(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{fold must be a positive factor of a 2-D grid}}
  %0 = dojo.kernel grid [2] maps [affine_map<(i) -> (i, 0)>, affine_map<(i) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) attributes {fold = 2 : i64} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_fold_empty(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{fold 3 leaves the last fold of 4 grid rows empty}}
  %0 = dojo.kernel grid [4, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) attributes {fold = 3 : i64} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<2x4xbf16>):
    dojo.yield %t : tensor<2x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_fold_placement(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{grid does not fit the placement: 2 rows x 1 columns}}
  %0 = dojo.kernel grid [4, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) attributes {fold = 2 : i64, place_rows = array<i64: 0, 1>, place_cols = array<i64: 0>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<2x4xbf16>):
    dojo.yield %t : tensor<2x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @window_rhs_rows(%a: tensor<20x8xbf16>, %b: tensor<24x4xbf16>) -> tensor<10x4xf32> {
  // expected-error @+1 {{rhs must have 16 rows (2 window offsets x 8 lhs columns), got 24}}
  %0 = dojo.matmul %a, %b {window = array<i64: 0, 3>} : tensor<20x8xbf16>, tensor<24x4xbf16> -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}

// -----

func.func @window_past_end(%a: tensor<20x8xbf16>, %b: tensor<16x4xbf16>) -> tensor<18x4xf32> {
  // expected-error @+1 {{window reads rows up to 20 of an lhs of 20 rows}}
  %0 = dojo.matmul %a, %b {window = array<i64: 0, 3>} : tensor<20x8xbf16>, tensor<16x4xbf16> -> tensor<18x4xf32>
  return %0 : tensor<18x4xf32>
}

// -----

func.func @window_transpose(%a: tensor<20x8xbf16>, %b: tensor<16x4xbf16>) -> tensor<10x4xf32> {
  // expected-error @+1 {{window products take no transposes}}
  %0 = dojo.matmul %a, %b {window = array<i64: 0, 3>, transpose_lhs} : tensor<20x8xbf16>, tensor<16x4xbf16> -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}

// -----

func.func @window_negative(%a: tensor<20x8xbf16>, %b: tensor<16x4xbf16>) -> tensor<10x4xf32> {
  // expected-error @+1 {{window offsets must be non-negative, got -1}}
  %0 = dojo.matmul %a, %b {window = array<i64: 0, -1>} : tensor<20x8xbf16>, tensor<16x4xbf16> -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}

// -----

func.func @kernel_halo(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{input 0 halo of 4 rows must be non-negative and less than its tile's rows}}
  %0 = dojo.kernel grid [2] maps [affine_map<(i) -> (i, 0)>, affine_map<(i) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) attributes {halos = array<i64: 4>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_crop_size(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{crop must be [Hp, Wp, OH, OW]}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<8x4xbf16>) attributes {crop = array<i64: 2, 2>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_crop_bounds(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{crop [2, 4, 3, 2] must keep 1..Hp rows and 1..Wp columns of each image}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<8x4xbf16>) attributes {crop = array<i64: 2, 4, 3, 2>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_crop_images(%a: tensor<8x4xbf16>) -> tensor<5x4xbf16> {
  // expected-error @+1 {{crop needs a 2-D result whose rows are whole images of 2 x 2 positions}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<8x4xbf16>) attributes {crop = array<i64: 2, 4, 2, 2>} -> tensor<5x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<5x4xbf16>
}

// -----

func.func @kernel_crop_map(%a: tensor<8x4xbf16>) -> tensor<4x4xbf16> {
  // expected-error @+1 {{crop needs a 2-D grid and the result map (i, j) -> (i, j)}}
  %0 = dojo.kernel grid [2] maps [affine_map<(i) -> (i, 0)>, affine_map<(i) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) attributes {crop = array<i64: 2, 4, 2, 2>} -> tensor<4x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<4x4xbf16>
}

// -----

// The grid covers the logical rows: 1 image of 2 x 4 positions, 8 rows.
func.func @kernel_crop_cover(%a: tensor<8x4xbf16>) -> tensor<4x4xbf16> {
  // expected-error @+1 {{result tiles of size 2 over 2 block(s) do not cover dimension 0 of size 8}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<8x4xbf16>) attributes {crop = array<i64: 2, 4, 2, 2>} -> tensor<4x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    %s = dojo.slice %t offsets [0, 0] sizes [2, 4] strides [1, 1] : tensor<4x4xbf16> -> tensor<2x4xbf16>
    dojo.yield %s : tensor<2x4xbf16>
  }
  return %0 : tensor<4x4xbf16>
}

// -----

func.func @kernel_pad_size(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{pad_input must be [images, Hp, Wp, H, W, top, left]}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<8x4xbf16>) attributes {pad_input = array<i64: 1, 2, 4>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_pad_inside(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{pad_input must place each H x W image inside its Hp x Wp padding}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<8x4xbf16>) attributes {pad_input = array<i64: 1, 2, 4, 2, 4, 1, 0>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_pad_images(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{pad_input needs input 0 to be 2-D with at most 1 images of 2 x 2 rows}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<8x4xbf16>) attributes {pad_input = array<i64: 1, 2, 4, 2, 2, 0, 1>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_pad_map(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{pad_input needs a 2-D grid and input 0's map (i, j) -> (i, 0)}}
  %0 = dojo.kernel grid [2] maps [affine_map<(i) -> (i, 0)>, affine_map<(i) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) attributes {pad_input = array<i64: 2, 2, 4, 2, 2, 0, 1>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_im2col_size(%a: tensor<18x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{im2col must be [Hp, Wp, OH, OW, SH, SW, dy, dx, ...] with at least one tap}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<18x4xbf16>) attributes {im2col = array<i64: 3, 3, 2, 2, 1, 1, 0>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_im2col_tap(%a: tensor<18x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{im2col tap (2, 0) reads outside the 3 x 3 image}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<18x4xbf16>) attributes {im2col = array<i64: 3, 3, 2, 2, 1, 1, 0, 0, 2, 0>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_im2col_images(%a: tensor<16x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{im2col needs input 0 to be 2-D, whole images of 3 x 3 rows}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<16x4xbf16>) attributes {im2col = array<i64: 3, 3, 2, 2, 1, 1, 0, 0>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

func.func @kernel_im2col_both(%a: tensor<18x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{cannot have both pad_input and im2col}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<18x4xbf16>) attributes {im2col = array<i64: 3, 3, 2, 2, 1, 1, 0, 0>, pad_input = array<i64: 2, 3, 3, 3, 3, 0, 0>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

// The grid covers the logical rows (2 images of 2 x 2 outputs, 8 rows) and
// the taps' columns (2 taps of 4 channels, 8).
func.func @kernel_im2col_cover(%a: tensor<18x4xbf16>) -> tensor<8x8xbf16> {
  // expected-error @+1 {{input 0 tiles of size 4 over 1 block(s) do not cover dimension 1 of size 8}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<18x4xbf16>) attributes {im2col = array<i64: 3, 3, 2, 2, 1, 1, 0, 0, 1, 1>} -> tensor<8x8xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    %z = dojo.concat %t, %t axis 1 : tensor<4x4xbf16>, tensor<4x4xbf16> -> tensor<4x8xbf16>
    dojo.yield %z : tensor<4x8xbf16>
  }
  return %0 : tensor<8x8xbf16>
}

// -----

// The grid covers the logical (padded) rows: 2 images of 2 x 4, 16 rows.
func.func @kernel_pad_cover(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{input 0 tiles of size 4 over 2 block(s) do not cover dimension 0 of size 16}}
  %0 = dojo.kernel grid [2, 1] maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, j)>]
      ins(%a : tensor<8x4xbf16>) attributes {pad_input = array<i64: 2, 2, 4, 2, 2, 0, 1>} -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<4x4xbf16>):
    dojo.yield %t : tensor<4x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}

// -----

// expected-error @+1 {{unknown target preset 'd2' (expected tiny, small or d1)}}
module attributes {dojo.target = #dojo.target<d2>} {}

// -----

// expected-error @+1 {{unknown machine parameter 'sram'}}
module attributes {dojo.target = #dojo.target<d1, sram = 5>} {}

// -----

// expected-error @+1 {{invalid target: disabled core 9:9 is outside the 2x2 mesh}}
module attributes {dojo.target = #dojo.target<tiny, disabled = "9:9">} {}
