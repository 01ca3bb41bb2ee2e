// RUN: dojo-opt %s --split-input-file --dojo-decompose --dojo-tile | FileCheck %s

// batch_matmul on small (16 cores): 4 batches x 4 row blocks, one grid point
// each; A and the result read as [B*M, .] (free reshapes), B's block is the
// grid point floordiv the row blocks per batch.
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0) -> (d0, 0)>
// CHECK-DAG: #[[BATCH:.*]] = affine_map<(d0) -> (d0 floordiv 4, 0)>
// CHECK-LABEL: func.func @bmm
// CHECK: %[[A:.*]] = dojo.reshape %arg0 : tensor<4x32x16xbf16> -> tensor<128x16xbf16>
// CHECK: %[[B:.*]] = dojo.reshape %arg1 : tensor<4x16x8xbf16> -> tensor<64x8xbf16>
// CHECK: dojo.kernel grid [16] maps [#[[ROW]], #[[BATCH]], #[[ROW]]] ins(%[[A]], %[[B]] : tensor<128x16xbf16>, tensor<64x8xbf16>)
// CHECK: dojo.matmul {{.*}} : tensor<8x16xbf16>, tensor<16x8xbf16> -> tensor<8x8xf32>
module attributes {dojo.target = #dojo.target<small>} {
func.func @bmm(%a: tensor<4x32x16xbf16>, %b: tensor<4x16x8xbf16>) -> tensor<4x32x8xf32> {
  %0 = dojo.batch_matmul %a, %b : tensor<4x32x16xbf16>, tensor<4x16x8xbf16> -> tensor<4x32x8xf32>
  return %0 : tensor<4x32x8xf32>
}
}

// -----

// A transposed rhs is a batched transpose kernel first: row block i of
// batch b becomes column block i of the result's batch b.
// CHECK-DAG: #[[COLS:.*]] = affine_map<(d0) -> (d0 floordiv 4, d0 mod 4)>
// CHECK-LABEL: func.func @bmm_t
// CHECK: dojo.kernel grid [12] maps [{{.*}}, #[[COLS]]]
// CHECK: dojo.transpose {{.*}} perm [1, 0] : tensor<2x10xbf16> -> tensor<10x2xbf16>
// CHECK: dojo.kernel grid
// CHECK: dojo.matmul
module attributes {dojo.target = #dojo.target<small>} {
func.func @bmm_t(%a: tensor<3x6x10xbf16>, %b: tensor<3x8x10xbf16>) -> tensor<3x6x8xbf16> {
  %0 = dojo.batch_matmul %a, %b {transpose_rhs} : tensor<3x6x10xbf16>, tensor<3x8x10xbf16> -> tensor<3x6x8xbf16>
  return %0 : tensor<3x6x8xbf16>
}
}
