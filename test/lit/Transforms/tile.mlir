// RUN: dojo-opt %s --split-input-file --dojo-tile | FileCheck %s
// RUN: dojo-opt %s --split-input-file --dojo-tile="grid=2,1" | FileCheck %s --check-prefix=FORCED
// RUN: dojo-opt %s --split-input-file --dojo-tile="max-cores=2" | FileCheck %s --check-prefix=MAX2

// A matmul with its bias add and ReLU becomes one kernel: the epilogue is
// fused and runs on the tile in SRAM.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @mlp_layer
// Grid rows and columns become mesh rows and columns, so the 2x2 mesh
// allows at most a 2x2 grid.
// CHECK: %[[K:.*]] = dojo.kernel grid [2, 2] maps [#[[A]], #[[B]], #[[ROW]], #[[C]]] ins(%arg0, %arg1, %arg2 : tensor<16x32xbf16>, tensor<32x64xbf16>, tensor<64xbf16>) -> tensor<16x64xbf16> {
// CHECK-NEXT: ^bb0(%{{.*}}: tensor<8x32xbf16>, %{{.*}}: tensor<32x32xbf16>, %{{.*}}: tensor<32xbf16>):
// CHECK-NEXT: dojo.matmul {{.*}} -> tensor<8x32xbf16>
// CHECK-NEXT: dojo.add {{.*}} : tensor<8x32xbf16>, tensor<32xbf16> -> tensor<8x32xbf16>
// CHECK-NEXT: dojo.relu {{.*}} : tensor<8x32xbf16>
// CHECK-NEXT: dojo.yield {{.*}} : tensor<8x32xbf16>
// CHECK: return %[[K]]
// FORCED-LABEL: func.func @mlp_layer
// FORCED: dojo.kernel grid [2, 1]
// FORCED: dojo.matmul {{.*}} -> tensor<8x64xbf16>
// MAX2-LABEL: func.func @mlp_layer
// MAX2: dojo.kernel grid [1, 2]
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @mlp_layer(%x: tensor<16x32xbf16>, %w: tensor<32x64xbf16>, %b: tensor<64xbf16>) -> tensor<16x64xbf16> {
  %0 = dojo.matmul %x, %w : tensor<16x32xbf16>, tensor<32x64xbf16> -> tensor<16x64xbf16>
  %1 = dojo.add %0, %b : tensor<16x64xbf16>, tensor<64xbf16> -> tensor<16x64xbf16>
  %2 = dojo.relu %1 : tensor<16x64xbf16>
  return %2 : tensor<16x64xbf16>
}
}

// -----

// A matmul whose result has two users keeps its epilogue separate; the
// users, a ReLU and the add of the product and the ReLU, are one chain of
// elementwise ops, one kernel that reads the product once.
// CHECK-LABEL: func.func @two_users
// CHECK: %[[M:.*]] = dojo.kernel grid
// CHECK: dojo.matmul
// CHECK-NOT: dojo.relu
// CHECK: dojo.yield
// CHECK: dojo.kernel grid [{{[0-9]+}}] maps {{.*}} ins(%[[M]] : tensor<16x64xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: tensor
// CHECK-NEXT: %[[R:.*]] = dojo.relu %[[A]]
// CHECK-NEXT: dojo.add %[[A]], %[[R]]
// CHECK-NOT: dojo.kernel
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @two_users(%x: tensor<16x32xbf16>, %w: tensor<32x64xbf16>) -> tensor<16x64xf32> {
  %0 = dojo.matmul %x, %w : tensor<16x32xbf16>, tensor<32x64xbf16> -> tensor<16x64xf32>
  %1 = dojo.relu %0 : tensor<16x64xf32>
  %2 = dojo.add %0, %1 : tensor<16x64xf32>, tensor<16x64xf32> -> tensor<16x64xf32>
  return %2 : tensor<16x64xf32>
}
}

// -----

// A chain link's other operand computed on the side by elementwise ops
// used only there (exp(y) * w, then the add) joins the chain's kernel: one
// kernel, reading x, y and w, with no round trip of the product. An
// operand with another user stays outside (its own kernel).
// CHECK-LABEL: func.func @side_operands
// CHECK: %[[S:.*]] = dojo.kernel grid [{{[0-9]+}}] maps {{.*}} ins(%arg3 :
// CHECK: dojo.kernel grid [{{[0-9]+}}] maps {{.*}} ins(%arg0, %arg1, %arg2, %[[S]] :
// CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<{{.*}}>, %[[Y:.*]]: tensor<{{.*}}>, %[[W:.*]]: tensor<{{.*}}>, %[[T:.*]]: tensor<{{.*}}>):
// CHECK-NEXT: %[[R:.*]] = dojo.relu %[[X]]
// CHECK-NEXT: %[[E:.*]] = dojo.exp %[[Y]]
// CHECK-NEXT: %[[P:.*]] = dojo.mul %[[E]], %[[W]]
// CHECK-NEXT: %[[A:.*]] = dojo.add %[[R]], %[[P]]
// CHECK-NEXT: dojo.sub %[[A]], %[[T]]
// CHECK-NOT: dojo.kernel
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @side_operands(%x: tensor<16x64xf32>, %y: tensor<16x64xf32>, %w: tensor<64xf32>, %z: tensor<16x64xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
  %t = dojo.tanh %z : tensor<16x64xf32>
  %0 = dojo.relu %x : tensor<16x64xf32>
  %1 = dojo.exp %y : tensor<16x64xf32>
  %2 = dojo.mul %1, %w : tensor<16x64xf32>, tensor<64xf32> -> tensor<16x64xf32>
  %3 = dojo.add %0, %2 : tensor<16x64xf32>, tensor<16x64xf32> -> tensor<16x64xf32>
  %4 = dojo.sub %3, %t : tensor<16x64xf32>, tensor<16x64xf32> -> tensor<16x64xf32>
  return %4, %t : tensor<16x64xf32>, tensor<16x64xf32>
}
}

// -----

// On d1 the cost model spreads the first MLP layer over 16 x 16 cores (a
// grid needs as many hole-free mesh rows and columns).
// Its tiles (16 rows) are too small for the packed placement, so `auto`
// resolves to cross.
// CHECK-LABEL: func.func @d1_layer
// CHECK-SAME: attributes {dojo.placement = "cross"}
// CHECK: dojo.kernel grid [16, 16]
// CHECK: dojo.matmul {{.*}} : tensor<16x512xbf16>, tensor<512x64xbf16> -> tensor<16x64xbf16>
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_layer(%x: tensor<256x512xbf16>, %w: tensor<512x1024xbf16>) -> tensor<256x1024xbf16> {
  %0 = dojo.matmul %x, %w : tensor<256x512xbf16>, tensor<512x1024xbf16> -> tensor<256x1024xbf16>
  return %0 : tensor<256x1024xbf16>
}
}

// -----

// Any vector-unit elementwise op joins the epilogue; a non-commutative op
// whose broadcast operand comes first does not (the vector unit broadcasts
// only its second operand), so it starts a kernel of its own.
// CHECK-LABEL: func.func @epilogue_ops
// CHECK: dojo.kernel grid
// CHECK: dojo.matmul
// CHECK-NEXT: dojo.sub
// CHECK-NEXT: dojo.mul
// CHECK-NEXT: dojo.sigmoid
// CHECK-NEXT: dojo.yield
// CHECK: dojo.kernel grid
// CHECK-NEXT: ^bb0
// CHECK-NEXT: dojo.div
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @epilogue_ops(%x: tensor<16x32xbf16>, %w: tensor<32x64xbf16>, %b: tensor<64xbf16>) -> tensor<16x64xbf16> {
  %0 = dojo.matmul %x, %w : tensor<16x32xbf16>, tensor<32x64xbf16> -> tensor<16x64xbf16>
  %1 = dojo.sub %0, %b : tensor<16x64xbf16>, tensor<64xbf16> -> tensor<16x64xbf16>
  %2 = dojo.mul %b, %1 : tensor<64xbf16>, tensor<16x64xbf16> -> tensor<16x64xbf16>
  %3 = dojo.sigmoid %2 : tensor<16x64xbf16>
  %4 = dojo.div %b, %3 : tensor<64xbf16>, tensor<16x64xbf16> -> tensor<16x64xbf16>
  return %4 : tensor<16x64xbf16>
}
}

// -----

// A larger layer gets tiles of at least 64 rows and 24 columns on d1's
// packed placement (18 mesh rows x 19 cores each), so `auto` resolves to
// packed and the grid uses 342 cores; not deep or tall, it fills the
// rows' disabled cores with spares.
// CHECK-LABEL: func.func @d1_big
// CHECK-SAME: attributes {dojo.packed_holes = "spare", dojo.placement = "packed"}
// CHECK: dojo.kernel grid [18, 19]
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_big(%x: tensor<2048x1024xbf16>, %w: tensor<1024x1024xbf16>) -> tensor<2048x1024xbf16> {
  %0 = dojo.matmul %x, %w : tensor<2048x1024xbf16>, tensor<1024x1024xbf16> -> tensor<2048x1024xbf16>
  return %0 : tensor<2048x1024xbf16>
}
}

// -----

// 27 columns per mesh column (512 over 19) is still wide enough for packed
// (at least 24: the ResNet-50 conv3 1x1 128 -> 512 at batch 8).
// CHECK-LABEL: func.func @d1_27_columns
// CHECK-SAME: attributes {dojo.packed_holes = "spare", dojo.placement = "packed"}
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_27_columns(%x: tensor<6272x128xbf16>, %w: tensor<128x512xbf16>) -> tensor<6272x512xbf16> {
  %0 = dojo.matmul %x, %w : tensor<6272x128xbf16>, tensor<128x512xbf16> -> tensor<6272x512xbf16>
  return %0 : tensor<6272x512xbf16>
}
}

// -----

// 22 columns per mesh column (416 over 19) is not.
// CHECK-LABEL: func.func @d1_22_columns
// CHECK-SAME: attributes {dojo.placement = "cross"}
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_22_columns(%x: tensor<6272x128xbf16>, %w: tensor<128x416xbf16>) -> tensor<6272x416xbf16> {
  %0 = dojo.matmul %x, %w : tensor<6272x128xbf16>, tensor<128x416xbf16> -> tensor<6272x416xbf16>
  return %0 : tensor<6272x416xbf16>
}
}

// -----

// Few rows (392 over 18 mesh rows): packed when its grid cuts the product
// into 5/4 fewer 8 x 8 blocks per core than the best cross grid (22 x 108
// tiles: 42 blocks against 54), with spares (the rows' disabled cores
// taken over by cores past the grid).
// CHECK-LABEL: func.func @d1_few_rows_wide
// CHECK-SAME: attributes {dojo.packed_holes = "spare", dojo.placement = "packed"}
// CHECK: dojo.kernel grid [18, 19]
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_few_rows_wide(%x: tensor<392x512xbf16>, %w: tensor<512x2048xbf16>) -> tensor<392x2048xbf16> {
  %0 = dojo.matmul %x, %w : tensor<392x512xbf16>, tensor<512x2048xbf16> -> tensor<392x2048xbf16>
  return %0 : tensor<392x2048xbf16>
}
}

// -----

// Also when a K slice's products (K 2048 in 16 slices of 128 on 22 x 27
// tiles: 384 cycles, 12 blocks against 15) are shorter than the senders'
// load - wait - multicast of it (406): dojo-schedule then has them load
// ahead, with two B loaders per segment.
// CHECK-LABEL: func.func @d1_few_rows_deep
// CHECK-SAME: attributes {dojo.packed_holes = "spare", dojo.placement = "packed"}
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_few_rows_deep(%x: tensor<392x2048xbf16>, %w: tensor<2048x512xbf16>) -> tensor<392x512xbf16> {
  %0 = dojo.matmul %x, %w : tensor<392x2048xbf16>, tensor<2048x512xbf16> -> tensor<392x512xbf16>
  return %0 : tensor<392x512xbf16>
}
}

// -----

// Not when it saves no blocks (64 columns: one block column either way)
// and the product is shallow (K 128 < 4 N).
// CHECK-LABEL: func.func @d1_few_rows_narrow
// CHECK-SAME: attributes {dojo.placement = "cross"}
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_few_rows_narrow(%x: tensor<392x128xbf16>, %w: tensor<128x64xbf16>) -> tensor<392x64xbf16> {
  %0 = dojo.matmul %x, %w : tensor<392x128xbf16>, tensor<128x64xbf16> -> tensor<392x64xbf16>
  return %0 : tensor<392x64xbf16>
}
}

// -----

// A deep product (K 512 >= 4 N) is packed however narrow: moving A bounds
// it, and packed spreads that over more senders.
// CHECK-LABEL: func.func @d1_few_rows_narrow_deep
// CHECK-SAME: attributes {dojo.packed_holes = "spare", dojo.placement = "packed"}
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_few_rows_narrow_deep(%x: tensor<392x512xbf16>, %w: tensor<512x64xbf16>) -> tensor<392x64xbf16> {
  %0 = dojo.matmul %x, %w : tensor<392x512xbf16>, tensor<512x64xbf16> -> tensor<392x64xbf16>
  return %0 : tensor<392x64xbf16>
}
}

// -----

// A function without a matmul (row-chunked kernels) is packed: every core
// helps.
// CHECK-LABEL: func.func @d1_no_matmul
// CHECK-SAME: attributes {dojo.packed_holes = "spare", dojo.placement = "packed"}
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_no_matmul(%x: tensor<4096x768xf32>) -> tensor<4096x768xf32> {
  %0 = dojo.relu %x : tensor<4096x768xf32>
  return %0 : tensor<4096x768xf32>
}
}

// -----

// A deep window product (K 2304 = 9 taps x 256 >= 4 N) gathers no A: it
// takes spares (a row shifted on its own would load B on every core).
// CHECK-LABEL: func.func @d1_deep_window
// CHECK-SAME: attributes {dojo.packed_holes = "spare", dojo.placement = "packed"}
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_deep_window(%a: tensor<1832x256xbf16>, %b: tensor<2304x256xbf16>) -> tensor<1800x256xf32> {
  %0 = dojo.matmul %a, %b {window = array<i64: 0, 1, 2, 15, 16, 17, 30, 31, 32>} : tensor<1832x256xbf16>, tensor<2304x256xbf16> -> tensor<1800x256xf32>
  return %0 : tensor<1800x256xf32>
}
}

// -----

// A deep product with many rows (K >= 4 N, gathered A) keeps the bands.
// CHECK-LABEL: func.func @d1_deep_bands
// CHECK-SAME: attributes {dojo.packed_holes = "shift", dojo.placement = "packed"}
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1_deep_bands(%x: tensor<1568x1024xbf16>, %w: tensor<1024x256xbf16>) -> tensor<1568x256xbf16> {
  %0 = dojo.matmul %x, %w : tensor<1568x1024xbf16>, tensor<1024x256xbf16> -> tensor<1568x256xbf16>
  return %0 : tensor<1568x256xbf16>
}
}

// -----

// An explicit placement is kept (the function gets no attribute).
// CHECK-LABEL: func.func @d1_big_cross
// CHECK-NOT: dojo.placement
// CHECK: dojo.kernel grid [16, 16]
module attributes {dojo.target = #dojo.target<d1>, dojo.placement = "cross"} {
func.func @d1_big_cross(%x: tensor<2048x1024xbf16>, %w: tensor<1024x1024xbf16>) -> tensor<2048x1024xbf16> {
  %0 = dojo.matmul %x, %w : tensor<2048x1024xbf16>, tensor<1024x1024xbf16> -> tensor<2048x1024xbf16>
  return %0 : tensor<2048x1024xbf16>
}
}
