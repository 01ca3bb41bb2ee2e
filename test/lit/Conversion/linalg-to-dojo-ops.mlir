// RUN: dojo-opt %s --split-input-file --convert-linalg-to-dojo | FileCheck %s

// CHECK-LABEL: func.func @named_elementwise
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[Y:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8xf32>, %[[C:.*]]: tensor<4xf32>)
func.func @named_elementwise(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>, %b: tensor<8xf32>, %c: tensor<4xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  // CHECK: %[[S:.*]] = dojo.sub %[[X]], %[[Y]] : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  %s = linalg.sub ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // A row broadcast folds into the dojo op's own broadcasting.
  // CHECK: %[[M:.*]] = dojo.mul %[[S]], %[[B]] : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  %bb = linalg.broadcast ins(%b : tensor<8xf32>) outs(%e : tensor<4x8xf32>) dimensions = [0]
  %m = linalg.mul ins(%s, %bb : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // A column broadcast becomes a 4x1 operand.
  // CHECK: %[[CR:.*]] = dojo.reshape %[[C]] : tensor<4xf32> -> tensor<4x1xf32>
  // CHECK: %[[D:.*]] = dojo.div %[[M]], %[[CR]] : tensor<4x8xf32>, tensor<4x1xf32> -> tensor<4x8xf32>
  %cb = linalg.broadcast ins(%c : tensor<4xf32>) outs(%e : tensor<4x8xf32>) dimensions = [1]
  %d = linalg.div ins(%m, %cb : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[MX:.*]] = dojo.max %[[D]], %[[X]]
  %mx = linalg.max ins(%d, %x : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[MN:.*]] = dojo.min %[[MX]], %[[Y]]
  %mn = linalg.min ins(%mx, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[E1:.*]] = dojo.exp %[[MN]] : tensor<4x8xf32>
  %e1 = linalg.exp ins(%mn : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[E2:.*]] = dojo.log %[[E1]]
  %e2 = linalg.log ins(%e1 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[E3:.*]] = dojo.sqrt %[[E2]]
  %e3 = linalg.sqrt ins(%e2 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[E4:.*]] = dojo.rsqrt %[[E3]]
  %e4 = linalg.rsqrt ins(%e3 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[E5:.*]] = dojo.tanh %[[E4]]
  %e5 = linalg.tanh ins(%e4 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[E6:.*]] = dojo.reciprocal %[[E5]]
  %e6 = linalg.reciprocal ins(%e5 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[E7:.*]] = dojo.sub %[[E6]], %[[X]]
  %e7 = linalg.elementwise kind=#linalg.elementwise_kind<sub> ins(%e6, %x : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[E8:.*]] = dojo.exp %[[E7]]
  %e8 = linalg.elementwise kind=#linalg.elementwise_kind<exp> ins(%e7 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK-NOT: linalg.
  // CHECK: return %[[E8]]
  return %e8 : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @generics
func.func @generics(%x: tensor<4x8xbf16>, %c: tensor<4xbf16>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xbf16>
  // CHECK: %[[CR:.*]] = dojo.reshape %{{.*}} : tensor<4xbf16> -> tensor<4x1xbf16>
  // CHECK: %[[S:.*]] = dojo.sub %{{.*}}, %[[CR]] : tensor<4x8xbf16>, tensor<4x1xbf16> -> tensor<4x8xbf16>
  %s = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %c : tensor<4x8xbf16>, tensor<4xbf16>) outs(%e : tensor<4x8xbf16>) {
  ^bb0(%p: bf16, %q: bf16, %o: bf16):
    %r = arith.subf %p, %q : bf16
    linalg.yield %r : bf16
  } -> tensor<4x8xbf16>
  // CHECK: %[[X:.*]] = dojo.exp %[[S]] : tensor<4x8xbf16>
  %x2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<4x8xbf16>) outs(%e : tensor<4x8xbf16>) {
  ^bb0(%p: bf16, %o: bf16):
    %r = math.exp %p : bf16
    linalg.yield %r : bf16
  } -> tensor<4x8xbf16>
  // CHECK: %[[MN:.*]] = dojo.min %[[X]], %[[S]]
  %mn = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x2, %s : tensor<4x8xbf16>, tensor<4x8xbf16>) outs(%e : tensor<4x8xbf16>) {
  ^bb0(%p: bf16, %q: bf16, %o: bf16):
    %r = arith.minimumf %p, %q : bf16
    linalg.yield %r : bf16
  } -> tensor<4x8xbf16>
  // CHECK: %[[W:.*]] = dojo.cast %[[MN]] : tensor<4x8xbf16> -> tensor<4x8xf32>
  %ef = tensor.empty() : tensor<4x8xf32>
  %w = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mn : tensor<4x8xbf16>) outs(%ef : tensor<4x8xf32>) {
  ^bb0(%p: bf16, %o: f32):
    %r = arith.extf %p : bf16 to f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  // CHECK: %[[A:.*]] = dojo.add %[[W]], %[[W]] : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  %a = linalg.add ins(%w, %w : tensor<4x8xf32>, tensor<4x8xf32>) outs(%ef : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: return %[[A]]
  return %a : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @matmuls
func.func @matmuls(%a: tensor<8x4xbf16>, %b: tensor<16x8xbf16>, %q: tensor<3x5x6xf32>, %k: tensor<3x7x6xf32>) -> (tensor<4x16xf32>, tensor<3x5x7xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  // CHECK: dojo.matmul %{{.*}}, %{{.*}} {transpose_lhs, transpose_rhs} : tensor<8x4xbf16>, tensor<16x8xbf16> -> tensor<4x16xf32>
  %m = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<8x4xbf16>, tensor<16x8xbf16>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  %e3 = tensor.empty() : tensor<3x5x7xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<3x5x7xf32>) -> tensor<3x5x7xf32>
  // CHECK: dojo.batch_matmul %{{.*}}, %{{.*}} {transpose_rhs} : tensor<3x5x6xf32>, tensor<3x7x6xf32> -> tensor<3x5x7xf32>
  %bm = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<3x5x6xf32>, tensor<3x7x6xf32>) outs(%f3 : tensor<3x5x7xf32>) -> tensor<3x5x7xf32>
  return %m, %bm : tensor<4x16xf32>, tensor<3x5x7xf32>
}

// -----

// CHECK-LABEL: func.func @convs
func.func @convs(%x: tensor<1x3x9x9xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>,
                 %xh: tensor<1x9x9x3xf32>, %wh: tensor<3x3x3x8xf32>, %wf: tensor<8x3x3x3xf32>,
                 %wd: tensor<3x3x3xf32>, %wdc: tensor<3x3x3xf32>, %wm: tensor<3x3x3x2xf32>) {
  %zero = arith.constant 0.0 : f32
  // Bias broadcast along n, h, w: the conv's bias operand.
  // CHECK: dojo.conv2d %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 2>, strides = array<i64: 2, 1>} : tensor<1x3x9x9xf32>, tensor<8x3x3x3xf32>, tensor<8xf32> -> tensor<1x8x4x5xf32>
  %e0 = tensor.empty() : tensor<1x8x4x5xf32>
  %bb = linalg.broadcast ins(%b : tensor<8xf32>) outs(%e0 : tensor<1x8x4x5xf32>) dimensions = [0, 2, 3]
  %c0 = linalg.conv_2d_nchw_fchw {strides = dense<[2, 1]> : tensor<2xi64>, dilations = dense<[1, 2]> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x9x9xf32>, tensor<8x3x3x3xf32>) outs(%bb : tensor<1x8x4x5xf32>) -> tensor<1x8x4x5xf32>
  // CHECK: dojo.conv2d %{{.*}}, %{{.*}} layout nhwc : tensor<1x9x9x3xf32>, tensor<3x3x3x8xf32> -> tensor<1x7x7x8xf32>
  %e1 = tensor.empty() : tensor<1x7x7x8xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x7x7x8xf32>) -> tensor<1x7x7x8xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
      ins(%xh, %wh : tensor<1x9x9x3xf32>, tensor<3x3x3x8xf32>) outs(%f1 : tensor<1x7x7x8xf32>) -> tensor<1x7x7x8xf32>
  // CHECK: %[[T:.*]] = dojo.transpose %{{.*}} perm [1, 2, 3, 0] : tensor<8x3x3x3xf32> -> tensor<3x3x3x8xf32>
  // CHECK: dojo.conv2d %{{.*}}, %[[T]] layout nhwc
  %c2 = linalg.conv_2d_nhwc_fhwc {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
      ins(%xh, %wf : tensor<1x9x9x3xf32>, tensor<8x3x3x3xf32>) outs(%f1 : tensor<1x7x7x8xf32>) -> tensor<1x7x7x8xf32>
  // CHECK: %[[WD:.*]] = dojo.reshape %{{.*}} : tensor<3x3x3xf32> -> tensor<3x3x1x3xf32>
  // CHECK: dojo.conv2d %{{.*}}, %[[WD]] layout nhwc {groups = 3 : i64} : tensor<1x9x9x3xf32>, tensor<3x3x1x3xf32> -> tensor<1x7x7x3xf32>
  %e3 = tensor.empty() : tensor<1x7x7x3xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x7x7x3xf32>) -> tensor<1x7x7x3xf32>
  %c3 = linalg.depthwise_conv_2d_nhwc_hwc {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
      ins(%xh, %wd : tensor<1x9x9x3xf32>, tensor<3x3x3xf32>) outs(%f3 : tensor<1x7x7x3xf32>) -> tensor<1x7x7x3xf32>
  // CHECK: %[[WC:.*]] = dojo.reshape %{{.*}} : tensor<3x3x3xf32> -> tensor<3x1x3x3xf32>
  // CHECK: dojo.conv2d %{{.*}}, %[[WC]] {groups = 3 : i64} : tensor<1x3x9x9xf32>, tensor<3x1x3x3xf32> -> tensor<1x3x7x7xf32>
  %e4 = tensor.empty() : tensor<1x3x7x7xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x3x7x7xf32>) -> tensor<1x3x7x7xf32>
  %c4 = linalg.depthwise_conv_2d_nchw_chw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
      ins(%x, %wdc : tensor<1x3x9x9xf32>, tensor<3x3x3xf32>) outs(%f4 : tensor<1x3x7x7xf32>) -> tensor<1x3x7x7xf32>
  // CHECK: %[[WM:.*]] = dojo.reshape %{{.*}} : tensor<3x3x3x2xf32> -> tensor<3x3x1x6xf32>
  // CHECK: %[[CM:.*]] = dojo.conv2d %{{.*}}, %[[WM]] layout nhwc {groups = 3 : i64} : tensor<1x9x9x3xf32>, tensor<3x3x1x6xf32> -> tensor<1x7x7x6xf32>
  // CHECK: dojo.reshape %[[CM]] : tensor<1x7x7x6xf32> -> tensor<1x7x7x3x2xf32>
  %e5 = tensor.empty() : tensor<1x7x7x3x2xf32>
  %f5 = linalg.fill ins(%zero : f32) outs(%e5 : tensor<1x7x7x3x2xf32>) -> tensor<1x7x7x3x2xf32>
  %c5 = linalg.depthwise_conv_2d_nhwc_hwcm {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
      ins(%xh, %wm : tensor<1x9x9x3xf32>, tensor<3x3x3x2xf32>) outs(%f5 : tensor<1x7x7x3x2xf32>) -> tensor<1x7x7x3x2xf32>
  // CHECK-NOT: linalg.
  return
}

// -----

// CHECK-LABEL: func.func @pools_and_reductions
func.func @pools_and_reductions(%x: tensor<1x3x8x8xf32>, %y: tensor<4x6x5xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>, tensor<6xf32>, tensor<4x5xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %four = arith.constant 4.0 : f32
  %w = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x3x4x4xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // CHECK: dojo.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %mp = linalg.pooling_nchw_max {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<2x2xf32>) outs(%fm : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // Sum pool divided by the window size: an average pool.
  // CHECK: dojo.avg_pool2d %{{.*}} {count_include_pad, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %sp = linalg.pooling_nchw_sum {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<2x2xf32>) outs(%fz : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %ap = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sp : tensor<1x3x4x4xf32>) outs(%e : tensor<1x3x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %d = arith.divf %in, %four : f32
    linalg.yield %d : f32
  } -> tensor<1x3x4x4xf32>
  // CHECK: dojo.reduce_sum %{{.*}} axes [0, 2] : tensor<4x6x5xf32> -> tensor<6xf32>
  %e6 = tensor.empty() : tensor<6xf32>
  %f6 = linalg.fill ins(%zero : f32) outs(%e6 : tensor<6xf32>) -> tensor<6xf32>
  %rs = linalg.reduce ins(%y : tensor<4x6x5xf32>) outs(%f6 : tensor<6xf32>) dimensions = [0, 2]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  // CHECK: dojo.reduce_max %{{.*}} axes [1] : tensor<4x6x5xf32> -> tensor<4x5xf32>
  %e45 = tensor.empty() : tensor<4x5xf32>
  %f45 = linalg.fill ins(%ninf : f32) outs(%e45 : tensor<4x5xf32>) -> tensor<4x5xf32>
  %rm = linalg.reduce ins(%y : tensor<4x6x5xf32>) outs(%f45 : tensor<4x5xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.maximumf %in, %acc : f32
      linalg.yield %s : f32
    }
  // CHECK-NOT: linalg.
  return %mp, %ap, %rs, %rm : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>, tensor<6xf32>, tensor<4x5xf32>
}

// -----

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<2x3x4xbf16>, %y: tensor<2x5x4xbf16>) -> (tensor<4x2x3xbf16>, tensor<6x4xbf16>, tensor<2x3x2x2xbf16>, tensor<3x2xbf16>, tensor<3x4x6xbf16>, tensor<2x8x4xbf16>) {
  %e = tensor.empty() : tensor<4x2x3xbf16>
  // CHECK: dojo.transpose %{{.*}} perm [2, 0, 1] : tensor<2x3x4xbf16> -> tensor<4x2x3xbf16>
  %t = linalg.transpose ins(%x : tensor<2x3x4xbf16>) outs(%e : tensor<4x2x3xbf16>) permutation = [2, 0, 1]
  // CHECK: dojo.reshape %{{.*}} : tensor<2x3x4xbf16> -> tensor<6x4xbf16>
  %c = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x3x4xbf16> into tensor<6x4xbf16>
  // CHECK: dojo.reshape %{{.*}} : tensor<2x3x4xbf16> -> tensor<2x3x2x2xbf16>
  %ex = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [2, 3, 2, 2] : tensor<2x3x4xbf16> into tensor<2x3x2x2xbf16>
  // Rank-reducing slice: slice, then reshape.
  // CHECK: %[[S:.*]] = dojo.slice %{{.*}} offsets [1, 0, 1] sizes [1, 3, 2] strides [1, 1, 2] : tensor<2x3x4xbf16> -> tensor<1x3x2xbf16>
  // CHECK: dojo.reshape %[[S]] : tensor<1x3x2xbf16> -> tensor<3x2xbf16>
  %s = tensor.extract_slice %x[1, 0, 1] [1, 3, 2] [1, 1, 2] : tensor<2x3x4xbf16> to tensor<3x2xbf16>
  // CHECK: dojo.pad %{{.*}} low [0, 1, 2] high [1, 0, 0] value -1.500000e+00 : tensor<2x3x4xbf16> -> tensor<3x4x6xbf16>
  %pv = arith.constant -1.5 : bf16
  %p = tensor.pad %x low[0, 1, 2] high[1, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index):
    tensor.yield %pv : bf16
  } : tensor<2x3x4xbf16> to tensor<3x4x6xbf16>
  // CHECK: dojo.concat %{{.*}}, %{{.*}} axis 1 : tensor<2x3x4xbf16>, tensor<2x5x4xbf16> -> tensor<2x8x4xbf16>
  %cc = tensor.concat dim(1) %x, %y : (tensor<2x3x4xbf16>, tensor<2x5x4xbf16>) -> tensor<2x8x4xbf16>
  // CHECK-NOT: tensor.
  // CHECK-NOT: arith.constant
  return %t, %c, %ex, %s, %p, %cc : tensor<4x2x3xbf16>, tensor<6x4xbf16>, tensor<2x3x2x2xbf16>, tensor<3x2xbf16>, tensor<3x4x6xbf16>, tensor<2x8x4xbf16>
}
