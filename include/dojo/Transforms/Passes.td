//===- Passes.td - dojo transformation passes ---------------*- tablegen -*-===//

#ifndef DOJO_TRANSFORMS_PASSES_TD
#define DOJO_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DojoSetTarget : Pass<"dojo-set-target", "mlir::ModuleOp"> {
  let summary = "Attach a machine description to the module";
  let description = [{
    Sets the module attribute `dojo.target` from the `target` option, which
    takes the text form of a machine description: a preset (`tiny`, `small`,
    `d1`) optionally followed by `key=value` overrides, e.g.
    `small sram_bytes=2097152`. `placement=packed|cross` records the
    placement style the later passes use (`dojo.placement`):

    * `cross`: hole-free mesh rows x columns (on `d1` at most 16 x 16 = 256
      cores); A is multicast along mesh rows, B down mesh columns.
    * `packed`: every mesh row gets its own first enabled cores (on `d1`
      18 x 19 = 342). `holes` says how a row's disabled cores among them
      are filled: `spare` puts grid column j in mesh column j unless that
      core is disabled, whose grid column the row's first free core past
      the grid takes over (grid columns then run straight down one mesh
      column but for their holes' rows); `shift` moves the columns after a
      disabled core over by one, and a row with no disabled core among its
      cores skips the same columns as the last row above that had to, so
      rows form bands in which grid columns run straight. A is multicast
      along mesh rows (from a grid row's first to its last mesh column);
      B is loaded by the core nearest the mesh edge of every straight
      segment of a grid column and multicast over that segment. `auto`
      (the default) is resolved with the placement: `shift` for tall
      (folded) and deep (gathered A; not window) products, else `spare`;
      `dojo-place`
      keeps `shift` when a kernel narrower than the placement would
      multicast a grid row over cores outside it.
    * `auto` (the default): resolved by `dojo-tile` from the function's
      largest matmul: `packed` when it gives more cores than `cross`
      (`d1`) and the tiles are wide enough, the product tall and narrow or
      deep (K >= 4 N), or, with under 64 rows per mesh row, when the
      packed grid needs 5/4 fewer 8 x 8 blocks per core than the best
      cross grid; also for any deep product (K >= 4 N) and for functions
      without a matmul; else `cross` (always on meshes without disabled
      cores). Measured on
      `d1` with `bench/compiler_bench`: 2048^3 GEMM 143K -> 118K cycles,
      encoder layer 887K -> 800K; some 3x3 convolutions and the attention
      batch matmuls are slower.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"d1\"",
           "Machine description: preset name and key=value overrides">,
    Option<"overwrite", "overwrite", "bool", /*default=*/"true",
           "Replace an existing dojo.target attribute">,
    Option<"placement", "placement", "std::string", /*default=*/"\"auto\"",
           "Placement of the program's cores: auto (packed when it gives "
           "more cores), packed (each mesh row its own first enabled cores) "
           "or cross (hole-free rows x columns)">,
    Option<"holes", "holes", "std::string", /*default=*/"\"auto\"",
           "How a packed placement fills a row's disabled cores: auto "
           "(chosen with the placement), spare (the row's cores past the "
           "grid take the disabled cores' grid columns) or shift (the "
           "columns after a disabled core move over, in bands of rows)">,
  ];
  let dependentDialects = ["::dojo::DojoDialect"];
}

def DojoDecompose : Pass<"dojo-decompose", "mlir::func::FuncOp"> {
  let summary = "Rewrite graph ops into the kernels and copies the ISA lowers";
  let description = [{
    Rewrites every graph op that `dojo-tile` has no kernel for into ops it
    has, with the reference interpreter's numerics kept bit for bit:

    * NCHW convolutions, poolings and channel batch norms become NHWC ones
      between transposes; transposes are folded (`transpose(transpose(x))`),
      turned into reshapes when they only move unit dimensions, and sunk
      through elementwise ops, so consecutive NCHW layers stay in NHWC;
    * a convolution becomes a pad, one strided window (a `dojo.slice` read
      in place) per kernel tap, a concat of the windows along channels
      (im2col, in the conv's `(kh, kw, c)` summation order) and a matmul
      whose FP32 result gets the bias before one rounding; groups split the
      channels, depthwise convolutions multiply-add the taps on the vector
      unit in FP32 (unit stride with at most 3/2 as many padded positions
      as outputs: over every position of the flattened padded input, one
      more zero image at its end, each tap a contiguous run of its rows,
      read in place, and one slice of the valid positions at the end; d1,
      112x112x32 3x3: 26444 -> 20579 cycles); a 1x1 unit-stride
      convolution needs no copy at all;
      a unit-stride, undilated, ungrouped BF16 convolution with more than
      one tap and a channel count divisible by 4, whose padded image has at
      most 5/4 as many positions as its output, instead (`window-convs`,
      the default) becomes a window product: the padded input (one more
      zero image at the end) flattened to `[(N+1)*Hp*Wp, C]`, a
      `dojo.matmul` with `window` offsets `kh*Wp + kw` over all `N*Hp*Wp`
      output positions (the columns and rows past the image are computed
      and dropped), and a slice of the valid `[N, OH, OW]` positions, so
      no im2col copy is made and each core reads its input rows once.
      Rows and images share their padding: `Hp = H + max(top, bottom)`
      and `Wp = W + max(left, right)` (a window off a row's right end
      reads the next row's leading zeros, one off an image's bottom the
      next image's top rows), so a 14x14 3x3 computes 225 positions per
      image, not 256;
    * max pooling is a -inf pad, window slices and a max chain; average
      pooling sums the windows in FP32 from +0 and divides by the window
      size or by the same sum over a tensor of ones;
    * global pooling, and softmax, layer_norm and reductions over any axes,
      become transposes and reshapes around the row-wise kernels;
    * batch norm (inference) becomes its FP32 elementwise steps;
    * `batch_matmul` becomes one matmul per batch over contiguous slices
      (free aliases) and a concat; transposed operands become rank-2
      transposes; a transpose of any rank becomes rank-2 transposes plus a
      strided copy that keeps the last dimension;
    * elementwise ops of rank > 2 run on a rank-2 reshape.
  }];
  let dependentDialects = ["::dojo::DojoDialect", "::mlir::arith::ArithDialect"];
  let options = [
    Option<"windowConvs", "window-convs", "bool", /*default=*/"true",
           "Lower unit-stride convolutions as window products (false: im2col)">,
  ];
}

def DojoTile : Pass<"dojo-tile", "mlir::func::FuncOp"> {
  let summary = "Split ops into per-core kernels that fit SRAM";
  let description = [{
    Groups every `dojo.matmul` with the elementwise ops that consume it
    (bias add, rounding, ReLU, a residual add: a fused epilogue), every
    remaining chain of 1-D or 2-D elementwise ops (each the only user of
    the one before, with the elementwise ops of its shape that compute a
    link's other operand for it alone, up to 4 deep, when the whole still
    fits a split: a depthwise convolution's tap casts and products; d1
    MobileNet-v2 b1 680K -> 578K cycles) and every other elementwise op
    into a `dojo.kernel`
    (vector computations on the function's arguments only, such as a batch
    norm's parameters, first move before the matmul they follow so that
    its epilogue can use them), and picks the kernel's grid of cores and tile shapes
    with a cost model built from the target: matrix-unit time of a tile,
    DMA time for its operands over the core's NoC link, and the edge-memory
    bandwidth shared by all cores. Only tilings whose per-core working set
    fits in SRAM are considered. If none fits, a matmul group is split by
    rows (kernels storing into one in-place concat), or by columns when B's
    column block alone would take over half a core's SRAM on the widest
    grid (B and the epilogue operands sliced by columns, the halves joined
    by a concat copy); each half is tiled again. A row-independent
    kernel (elementwise ops, softmax, layer_norm on 2-D tiles) takes as
    many cores as can be placed and is marked `dojo.stream_rows`, so that
    `dojo-allocate-sram` may stream its tile through chunk-sized buffers.
    A rank-2 transpose splits its input rows or its input columns over a
    1-D grid, whichever fits and costs least in whole 64-byte packets on
    a core's link and the shared edge memory plus its `vtrans` (a split
    of the rows stores result rows of a tile's rows, one of the columns
    loads input rows of a tile's columns: an NCHW -> NHWC permute of 64
    channels goes by columns, d1 76K -> 1.5K cycles); when neither fits
    the cores, it is split by input
    columns into the fewest pieces that fit (column slices, each transposed
    and tiled, joined by an in-place concat), and a transpose none of whose
    1024 pieces fits is a located error. Anything else keeps the smallest
    tiling and `dojo-allocate-sram` reports the overflow.

    A window product's kernel (a convolution from `dojo-decompose`) whose
    result is only reshaped to `[N, Hp, Wp, C]` and sliced to its first
    `[N, OH, OW, C]` positions gets `crop = [Hp, Wp, OH, OW]` and the
    sliced result: its cores store only the valid positions, and no copy of
    the slice follows (`crop=false` keeps the slice). Likewise, when its
    A is only a zero `pad` of an NHWC image, flattened, the kernel reads
    the image itself (`pad_input`): its cores load the image's rows and
    zero the padding in SRAM, and no padded copy precedes the kernel
    (`fold-pad=false` keeps the pad). A matmul kernel whose A is only the
    channel concat of strided windows of one NHWC image, flattened (the
    im2col of a convolution), reads the image itself (`im2col`): its A
    senders load each K slice's rows window row by window row, and no
    im2col copy precedes the kernel (`fold-im2col=false` keeps the copy).

    The epilogue sees through views: an elementwise op on a reshape of the
    product's [M, N] result that keeps the last dimension (the NHWC view of
    a convolution), possibly through one slice from the origin with unit
    strides (a window product's valid positions), is rebuilt on the [M, N]
    tile and the views move after it (elementwise ops commute with them);
    a full operand of the op (only without a slice) is viewed as [M, N]
    too. Every operand must be defined before the product; a reshape of a
    value that is moves there.
  }];
  let options = [
    Option<"foldPad", "fold-pad", "bool", /*default=*/"true",
           "Fold the zero pad of a window product's A into its kernel's "
           "loads (KernelOp pad_input)">,
    Option<"foldIm2col", "fold-im2col", "bool", /*default=*/"true",
           "Fold the im2col concat of a matmul kernel's A into its "
           "kernel's loads (KernelOp im2col)">,
    Option<"crop", "crop", "bool", /*default=*/"true",
           "Fold the valid-position slice of a window product's result into "
           "its kernel's stores (KernelOp crop)">,
    Option<"maxCores", "max-cores", "int64_t", /*default=*/"0",
           "Use at most this many cores per kernel (0: all enabled cores)">,
    ListOption<"forceGrid", "grid", "int64_t",
           "Force the grid of every matmul kernel, as rows,cols (or one "
           "value: a 1-D row grid of that many cores)">,
    Option<"forceFold", "fold", "int64_t", /*default=*/"0",
           "With a forced 2-D grid: fold its rows this many times over the "
           "placement (the kernel's `fold`; 0 or 1: not folded)">,
  ];
  let statistics = [
    Statistic<"numKernels", "kernels", "Number of kernels formed">,
    Statistic<"numFused", "fused-ops", "Elementwise ops fused into a producer">,
  ];
  let dependentDialects = ["::dojo::DojoDialect"];
}

def DojoPlace : Pass<"dojo-place", "mlir::func::FuncOp"> {
  let summary = "Assign kernel grid points to mesh cores";
  let description = [{
    Chooses the program's cores, one placement shared by every kernel of
    the function (big enough for the widest), and records it on each
    kernel as `place_rows` and `place_cols`. The cross placement takes mesh
    rows R and columns C whose cross product holds no disabled core (each
    disabled core is avoided by leaving out its row or its column; the
    smallest bounding box wins): 2-D grid point (i, j) runs on mesh core
    (R[i], C[j]), so grid rows are mesh rows and grid columns mesh columns
    (what multicast needs); 1-D grid point k runs on logical core k. The
    packed placement (`dojo.placement = "packed"`) gives every mesh row its
    own first enabled cores (`place_cols` lists each row's, grid column by
    grid column), filling a row's disabled cores as `dojo.packed_holes`
    says (see `dojo-set-target`); with spares, a function one of whose
    kernels would multicast a grid row over cores of the program outside
    that row gets the bands instead (and `dojo.packed_holes = "shift"`). A kernel needing more cores than the
    target has, or a grid no placement holds, is a located error.
  }];
  let statistics = [
    Statistic<"maxCoresUsed", "cores", "Largest number of cores of a kernel">,
  ];
  let dependentDialects = ["::dojo::DojoDialect"];
}

def DojoAllocateSram : Pass<"dojo-allocate-sram", "mlir::func::FuncOp"> {
  let summary = "Assign per-core SRAM offsets by liveness";
  let description = [{
    Within each kernel, gives every tile (inputs, intermediate results and
    the FP32 accumulator of a BF16 matmul) an SRAM offset, reusing space of
    tiles that are dead and computing elementwise ops in place when their
    input dies there. Sets `arg_offsets` and `sram_bytes` on the kernel and
    `dojo.sram_offset` (and `dojo.scratch_offset`) on body ops. A kernel
    whose tiles do not fit is an error naming a core, the bytes needed and
    the bytes free.

    **Row chunks.** A kernel without a matmul whose body is elementwise ops,
    softmax and layer_norm over rows (every op independent per tile row),
    with a 2-D result tile of at least 32 rows, is marked `dojo.row_chunks
    = R` when its tiles also fit without reusing dead space (only the
    row-aligned in-place reuse of same-type operands stays):
    `convert-dojo-to-isa` then loads, computes and stores it in row chunks
    (R = tile rows / 16, at most 8, each rounded up to a multiple of 16
    rows so that the transposed FP32 chunk of a row-wise op is whole 64-byte
    vectors), so the loads of later chunks and the stores of earlier ones
    overlap the vector unit.

    **Streamed rows.** A kernel `dojo-tile` marked `dojo.stream_rows` whose
    whole tile does not fit gets two sets of buffers for a chunk of S rows
    (no reuse of dead space, no in-place updates), the second set
    `dojo.stream_set_bytes` after the first, with S the largest of 64, 32,
    ..., 1 for which both fit (`dojo.stream_rows = S`): the tile stays in
    edge memory and flows through SRAM chunk by chunk (its traffic is the
    tile's bytes once in and once out, the same as a tile that fits). If
    not even one row fits, the located overflow error lists the tile's
    buffers.

    **Live matmul.** A kernel that starts with a matmul is allocated the
    same way (no reuse of dead space; same-type
    in-place updates, but not of the matmul's operands) when that fits, and
    marked `dojo.matmul_live`: `dojo-schedule` may then run its epilogue on
    another thread while the matrix unit is still at work.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"64",
           "Byte alignment of every buffer">,
    Option<"rowChunks", "row-chunks", "bool", /*default=*/"true",
           "Mark row-independent kernels that fit without reuse for "
           "row-chunked, overlapped execution">,
    Option<"matmulLive", "matmul-live", "bool", /*default=*/"true",
           "Allocate matmul kernels with an epilogue without reuse (marked "
           "dojo.matmul_live, so dojo-schedule may pipeline the epilogue) "
           "when that fits">,
  ];
  let statistics = [
    Statistic<"peakBytes", "peak-bytes", "Largest per-core SRAM footprint">,
  ];
  let dependentDialects = ["::dojo::DojoDialect"];
}

def DojoPrintMemoryMap : Pass<"dojo-print-memory-map", "mlir::func::FuncOp"> {
  let summary = "Print each core's SRAM occupancy over the program";
  let description = [{
    After `dojo-allocate-sram`, prints (to stderr) one line per step of the
    program (kernels and function-level copies, in program order): the cores
    it runs on, the SRAM bytes each of them holds and the share of the
    core's SRAM, with a bar; under a kernel, every buffer with its offset,
    size and what it holds (input tiles, results of body ops, FP32
    accumulators and scratch). Cores outside a step's grid hold nothing
    during it. Ends with the program's peak and where it occurs. The
    pipeline prints it with `dojo-pipeline{print-memory-map=true}`.
  }];
  let dependentDialects = ["::dojo::DojoDialect"];
}

def DojoSchedule : Pass<"dojo-schedule", "mlir::func::FuncOp"> {
  let summary = "Order DMA and insert the synchronization that makes it safe";
  let description = [{
    Each core loads its input tiles from edge memory with DMA over the NoC,
    computes, and stores its result tile. The pass assigns the semaphores
    that the loads and stores signal (`sems = [load, store]`) and inserts a
    `dojo.barrier` before every kernel that reads a tensor an earlier kernel
    wrote, so no core reads edge memory before every producer's stores have
    completed.

    When a kernel starts with a matmul on its input tiles, the schedule
    streams both operands in `k_chunks` slices of K (A by column blocks, B by
    row blocks), all issued up front on the core's DMA engine; the core waits
    for each slice just before multiplying it (accumulating in FP32 in the
    same ascending-k order), so loads of later slices overlap the matrix unit.

    With `multicast` (the default, when the target has at least 3 threads and
    6 semaphores per core), a streamed matmul on a 2-D grid loads each A row
    block once, on the grid-column-0 core of its row, and each B column
    block once, on the grid-row-0 core of its column; those cores run a
    sender thread that multicasts every slice along its mesh row or column
    (`dojo-place` makes grid rows mesh rows and grid columns mesh columns).
    Semaphores: `sems = [load, store, A slices, B slices, A edge load,
    B edge load]`. A barrier precedes every multicast kernel that follows
    another kernel, so no slice lands in SRAM a core is still using.

    A sender loads a slice, waits for it and multicasts it on its one DMA
    engine. When that round trip (twice the A and B slice bytes over a
    link, plus the edge and DMA latency) is longer than a slice's products
    on the matrix unit and each grid row and column has one sender, the
    kernel gets `dojo.sender_prefetch`: each sender issues the load of its
    next slice as soon as the current one has landed, on its idle DMA
    engine, before it multicasts the current one (every slice has its own
    range of the tile in SRAM; a load issued while the engine still
    multicasts would reserve the links and the edge memory at that later
    time, ahead of everyone's transfers issued meanwhile). Not for two
    senders (the d1 MLP: 7777 -> 9342 cycles), window products, a
    broadcast B or packed grids: their early loads queue on the shared
    links ahead of everyone's multicasts. (Measured on d1: the 1x1
    convolution 8 x 7 x 7 x 2048 -> 512, a 392 x 512 x 2048 product on an
    18 x 14 grid, 10144 cycles without, 9498 with the load issued before
    the wait, 9226 after it.)

    **Gathered A.** A plain matmul (no window product, fold, broadcast B
    or `pad_input`) on a grid of more than one column can drop its A
    senders (`dojo.a_gather`, `gather-a`): thread 1 of every core of a grid
    row loads a band of `ceil(tm / columns)` rows of each A slice and
    multicasts it over the row, so the row's A loads spread over all its
    DMA engines. Slices alternate between two A semaphores, each counting
    one piece per band; a third A semaphore (`dojo.senders = [3, sb]`)
    carries thread 0's permissions: after its wait for slice c it lets its
    thread 1 send slice c + 1, so no piece of slice c + 2 reaches a core
    before every piece of slice c has reached every core. `auto` (with
    `senders` left to choose) takes it on packed placements when the `sa`
    senders' load and multicast of a slice (round robin) outlast the
    slice's products and an A slice of the tile is at most 32 KiB.
    (Measured on d1: ResNet-50's conv4 1x1 1024 -> 256, a 1568 x 256 x
    1024 product on the packed 18 x 19 grid, 9568 -> 7761 cycles; random
    products the rule takes 0.91x to 1.32x, mostly 1.05x to 1.2x. On cross
    grids, where the grid-row-0 cores also send every column's B, their
    bands come late: 0.79x to 1.16x, so `auto` leaves cross grids to
    their senders.)

    **Halo exchange.** A window product's A tile is its block of rows plus
    a halo, which is the start of the next grid row's block. On a grid of
    whole mesh rows with A senders (not packed or folded, without
    `pad_input`) whose halo is at most a block, the kernel gets
    `dojo.halo_exchange` and two more semaphores (after the senders', before
    the pipelined epilogue's): the first A sender of grid row i + 1, once
    its first row chunk is in, puts its tile rows that grid row i's later
    chunks hold into grid row i's first A sender (second semaphore), which
    multicasts them over its row (first semaphore), where thread 0 waits
    for them once, before the first of those chunks; only the last grid
    row loads its later chunks from edge memory (`halo-exchange=false`
    keeps every grid row on edge memory).

    K is streamed in max(min(K / 64, 8), min(K / 128, 16)) slices (at
    least one; at least 4 for K >= 128 on a packed placement, where every
    core waits for the first slice; `k-chunks` forces a count).

    **Pipelined epilogue.** A kernel that starts with a BF16 matmul, whose
    tile has at least 16 rows and whose buffers `dojo-allocate-sram` kept
    apart (`dojo.matmul_live`), on a target with 4 threads, gets
    `dojo.epilogue_chunks = R` (tile rows / 8, from 2 to 16) and two more
    semaphores (chunk ready, done): the last K slices (as many as it takes
    to cover the epilogue's vector work, at least one) are multiplied row
    chunk by row chunk, and a fourth thread rounds, runs the elementwise
    epilogue on and stores each chunk as soon as it is complete, on the
    vector unit and the DMA engine while the matrix unit works on the next
    chunk. Even a bare FP32 result gains: its stores overlap the last
    slice.
  }];
  let options = [
    Option<"kChunks", "k-chunks", "int64_t", /*default=*/"0",
           "Slices of K to stream per matmul (0: choose, 1: no streaming)">,
    Option<"multicast", "multicast", "bool", /*default=*/"true",
           "Share matmul operand blocks along mesh rows and columns by "
           "multicast instead of loading them on every core">,
    Option<"senders", "senders", "int64_t", /*default=*/"0",
           "Cores per grid row (column) that load and multicast the A (B) "
           "slices, round robin over the K slices (0: two when both blocks "
           "are at most 128 KiB, else one)">,
    Option<"gatherA", "gather-a", "std::string", /*default=*/"\"auto\"",
           "Plain multicast matmuls: every core of a grid row loads and "
           "multicasts a band of each A slice instead of A senders (auto: "
           "with senders=0 on packed placements, when the senders' load "
           "and multicast of a slice outlast its products and a slice is "
           "at most 32 KiB; always; never)">,
    Option<"haloExchange", "halo-exchange", "bool", /*default=*/"true",
           "Window products on grids of whole mesh rows: each grid row gets "
           "its halo rows from the next grid row's A sender instead of "
           "edge memory">,
    Option<"pipelineEpilogue", "pipeline-epilogue", "bool",
           /*default=*/"true",
           "Round, run the epilogue on and store a matmul's tile row chunk "
           "by row chunk on a fourth thread, overlapping the matrix unit">,
  ];
  let statistics = [
    Statistic<"numBarriers", "barriers", "Barriers inserted">,
  ];
  let dependentDialects = ["::dojo::DojoDialect"];
}

#endif // DOJO_TRANSFORMS_PASSES_TD
