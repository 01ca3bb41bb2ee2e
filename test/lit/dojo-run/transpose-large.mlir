// Transposes whose row blocks do not fit a core: few long rows (a permute
// moving a small batch last, as NCHW -> CHWN) split over the input's
// columns, and on a mesh too small for the tensor, split into the fewest
// column pieces that fit (column slices, each transposed, joined by an
// in-place concat). The split (rows or columns, and how many cores) is
// the cheapest in whole packets on the links and the edge memory plus the
// vtrans: an NCHW -> NHWC permute of 64 channels stores rows of 64
// contiguous channels split by columns, where a split of its 64 rows
// stored 2-byte rows (d1: 76K cycles, now 1.5K). One core up to d1;
// bit-exact.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// RUN: dojo-opt %s "--dojo-pipeline=target=tiny" --mlir-print-ir-after=dojo-tile -o /dev/null 2>&1 | FileCheck %s --check-prefix=COLS
// RUN: dojo-opt %s "--dojo-pipeline=target='tiny rows=1 cols=1'" --mlir-print-ir-after=dojo-tile -o /dev/null 2>&1 | FileCheck %s --check-prefix=SPLIT
// RUN: dojo-opt %s "--dojo-pipeline=target=d1" --mlir-print-ir-after=dojo-tile -o /dev/null 2>&1 | FileCheck %s --check-prefix=NHWC
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact

// On tiny's 4 cores a row (400000 bf16, in and out) does not fit; a
// quarter of the columns of all 3 rows does: grid point i holds columns
// block i.
// COLS: dojo.kernel grid [4] maps [affine_map<(d0) -> (0, d0)>, affine_map<(d0) -> (d0, 0)>] ins(%arg0 : tensor<3x400000xbf16>) -> tensor<400000x3xbf16>
// COLS: ^bb0(%{{.*}}: tensor<3x100000xbf16>):
// COLS-NEXT: dojo.transpose {{.*}} : tensor<3x100000xbf16> -> tensor<100000x3xbf16>

// On one core: four pieces of 100000 columns.
// SPLIT: dojo.slice %arg0 offsets [0, 0] sizes [3, 100000]
// SPLIT: dojo.kernel grid [1]
// SPLIT: dojo.slice %arg0 offsets [0, 300000] sizes [3, 100000]
// SPLIT: dojo.concat {{.*}} axis 0 : tensor<100000x3xbf16>, tensor<100000x3xbf16>, tensor<100000x3xbf16>, tensor<100000x3xbf16> -> tensor<400000x3xbf16>
// On d1 the permute's [64 x 12544] transpose goes by columns, 64 each.
// NHWC: dojo.kernel grid [196] maps [affine_map<(d0) -> (0, d0)>, affine_map<(d0) -> (d0, 0)>] ins(%{{.*}} : tensor<64x12544xbf16>) -> tensor<12544x64xbf16>
func.func @f(%x: tensor<3x400000xbf16>, %y: tensor<5x2x7x6xf32>,
             %z: tensor<1x64x112x112xbf16>)
    -> (tensor<400000x3xbf16>, tensor<2x7x6x5xf32>, tensor<1x112x112x64xbf16>) {
  %0 = dojo.transpose %x perm [1, 0] : tensor<3x400000xbf16> -> tensor<400000x3xbf16>
  %1 = dojo.transpose %y perm [1, 2, 3, 0] : tensor<5x2x7x6xf32> -> tensor<2x7x6x5xf32>
  %2 = dojo.transpose %z perm [0, 2, 3, 1] : tensor<1x64x112x112xbf16> -> tensor<1x112x112x64xbf16>
  return %0, %1, %2 : tensor<400000x3xbf16>, tensor<2x7x6x5xf32>, tensor<1x112x112x64xbf16>
}
