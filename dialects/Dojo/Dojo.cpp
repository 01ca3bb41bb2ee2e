//===- Dojo.cpp - Graph-level dojo dialect --------------------------------===//

#include "Dojo/DojoDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace dojo;

#include "Dojo/DojoDialect.cpp.inc"

#include "Dojo/DojoEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "Dojo/DojoAttrs.cpp.inc"

//===----------------------------------------------------------------------===//
// Verifier helpers shared by op classes (called from extraClassDefinition)
//===----------------------------------------------------------------------===//

namespace {

std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleave(shape, os, ", ");
  os << "]";
  return s;
}

LogicalResult requireStatic(Operation *op) {
  for (Type t : llvm::concat<Type>(op->getOperandTypes(),
                                   op->getResultTypes()))
    if (auto rt = dyn_cast<RankedTensorType>(t); rt && !rt.hasStaticShape())
      return op->emitOpError("expects static shapes");
  return success();
}

LogicalResult requireSameElementType(Operation *op, RankedTensorType a,
                                     RankedTensorType b, StringRef what) {
  if (a.getElementType() != b.getElementType())
    return op->emitOpError() << what << " element types differ: "
                             << a.getElementType() << " vs "
                             << b.getElementType();
  return success();
}

LogicalResult requireResultShape(Operation *op, RankedTensorType res,
                                 ArrayRef<int64_t> want) {
  if (res.getShape() != want)
    return op->emitOpError("result shape must be ") << shapeStr(want);
  return success();
}

/// Spatial dims and channel dim of a rank-4 image in `layout`.
struct ImageDims {
  int64_t n, c, h, w;
};
ImageDims imageDims(RankedTensorType t, Layout layout) {
  auto s = t.getShape();
  if (layout == Layout::NCHW)
    return {s[0], s[1], s[2], s[3]};
  return {s[0], s[3], s[1], s[2]};
}
SmallVector<int64_t> imageShape(Layout layout, int64_t n, int64_t c,
                                int64_t h, int64_t w) {
  if (layout == Layout::NCHW)
    return {n, c, h, w};
  return {n, h, w, c};
}

LogicalResult verifyWindow(Operation *op, ArrayRef<int64_t> strides,
                           ArrayRef<int64_t> padding,
                           ArrayRef<int64_t> dilations) {
  for (int64_t s : strides)
    if (s < 1)
      return op->emitOpError("strides must be positive");
  for (int64_t d : dilations)
    if (d < 1)
      return op->emitOpError("dilations must be positive");
  for (int64_t p : padding)
    if (p < 0)
      return op->emitOpError("padding must be non-negative");
  return success();
}

/// Output size of a window of `k` (dilated extent) over `size` padded by
/// `lo`/`hi` with stride `s`, or -1 if no window fits.
int64_t windowCount(int64_t size, int64_t lo, int64_t hi, int64_t k,
                    int64_t s) {
  int64_t span = size + lo + hi - k;
  return span < 0 ? -1 : span / s + 1;
}

LogicalResult verifyBroadcast(Operation *op, RankedTensorType lhs,
                              RankedTensorType rhs, RankedTensorType res) {
  if (lhs.getElementType() != res.getElementType() ||
      rhs.getElementType() != res.getElementType())
    return op->emitOpError("operand and result element types must match");
  if (!lhs.hasStaticShape() || !rhs.hasStaticShape() || !res.hasStaticShape())
    return op->emitOpError("expects static shapes");
  int64_t rank = std::max(lhs.getRank(), rhs.getRank());
  if (res.getRank() != rank)
    return op->emitOpError("result rank must be ") << rank;
  for (int64_t i = 0; i < rank; ++i) {
    auto dim = [&](RankedTensorType t) -> int64_t {
      int64_t k = i - (rank - t.getRank());
      return k < 0 ? 1 : t.getDimSize(k);
    };
    int64_t a = dim(lhs), b = dim(rhs);
    if (a != b && a != 1 && b != 1)
      return op->emitOpError("operands are not broadcast-compatible in "
                             "dimension ")
             << i << ": " << a << " vs " << b;
    if (res.getDimSize(i) != std::max(a, b))
      return op->emitOpError("result dimension ")
             << i << " must be " << std::max(a, b);
  }
  return success();
}

template <typename PoolOp>
LogicalResult verifyPool(PoolOp op) {
  auto in = op.getInput().getType(), res = op.getResult().getType();
  if (failed(requireStatic(op)))
    return failure();
  if (in.getRank() != 4)
    return op.emitOpError("expects a rank-4 input");
  if (failed(requireSameElementType(op, in, res, "input and result")))
    return failure();
  ArrayRef<int64_t> k = op.getKernel(), s = op.getStrides(),
                    p = op.getPadding();
  if (k[0] < 1 || k[1] < 1)
    return op.emitOpError("kernel sizes must be positive");
  if (failed(verifyWindow(op, s, p, {})))
    return failure();
  if (p[0] >= k[0] || p[2] >= k[0] || p[1] >= k[1] || p[3] >= k[1])
    return op.emitOpError("padding must be smaller than the kernel (every "
                          "window must overlap the input)");
  ImageDims d = imageDims(in, op.getLayout());
  int64_t oh = windowCount(d.h, p[0], p[2], k[0], s[0]);
  int64_t ow = windowCount(d.w, p[1], p[3], k[1], s[1]);
  if (oh < 1 || ow < 1)
    return op.emitOpError("kernel does not fit the padded input");
  return requireResultShape(op, res,
                            imageShape(op.getLayout(), d.n, d.c, oh, ow));
}

template <typename GlobalPoolOp>
LogicalResult verifyGlobalPool(GlobalPoolOp op) {
  auto in = op.getInput().getType(), res = op.getResult().getType();
  if (failed(requireStatic(op)))
    return failure();
  if (in.getRank() != 4)
    return op.emitOpError("expects a rank-4 input");
  if (failed(requireSameElementType(op, in, res, "input and result")))
    return failure();
  ImageDims d = imageDims(in, op.getLayout());
  return requireResultShape(op, res, imageShape(op.getLayout(), d.n, d.c, 1, 1));
}

template <typename ReduceOp>
LogicalResult verifyReduce(ReduceOp op) {
  auto in = op.getInput().getType(), res = op.getResult().getType();
  if (failed(requireStatic(op)))
    return failure();
  if (failed(requireSameElementType(op, in, res, "input and result")))
    return failure();
  ArrayRef<int64_t> axes = op.getAxes();
  if (axes.empty())
    return op.emitOpError("expects at least one axis");
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= in.getRank())
      return op.emitOpError("axis ") << axes[i] << " is out of range for rank "
                                     << in.getRank();
    if (i > 0 && axes[i] <= axes[i - 1])
      return op.emitOpError("axes must be strictly increasing");
  }
  SmallVector<int64_t> want;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    if (!llvm::is_contained(axes, d))
      want.push_back(in.getDimSize(d));
    else if (op.getKeepdim())
      want.push_back(1);
  }
  return requireResultShape(op, res, want);
}

/// Shapes of `operands` broadcast NumPy-style (trailing dimensions) to
/// `res`; element types are the caller's business.
LogicalResult verifyBroadcastShapes(Operation *op,
                                    ArrayRef<RankedTensorType> operands,
                                    RankedTensorType res) {
  if (failed(requireStatic(op)))
    return failure();
  int64_t rank = 0;
  for (RankedTensorType t : operands)
    rank = std::max(rank, t.getRank());
  if (res.getRank() != rank)
    return op->emitOpError("result rank must be ") << rank;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t want = 1;
    for (RankedTensorType t : operands) {
      int64_t k = i - (rank - t.getRank());
      int64_t d = k < 0 ? 1 : t.getDimSize(k);
      if (d != 1 && want != 1 && d != want)
        return op->emitOpError("operands are not broadcast-compatible in "
                               "dimension ")
               << i << ": " << want << " vs " << d;
      if (d != 1)
        want = d;
    }
    if (res.getDimSize(i) != want)
      return op->emitOpError("result dimension ") << i << " must be " << want;
  }
  return success();
}

template <typename ArgOp>
LogicalResult verifyArgReduce(ArgOp op) {
  auto in = op.getInput().getType(), res = op.getResult().getType();
  if (failed(requireStatic(op)))
    return failure();
  int64_t axis = op.getAxis();
  if (axis < 0 || axis >= in.getRank())
    return op.emitOpError("axis ") << axis << " is out of range for rank "
                                   << in.getRank();
  if (in.getDimSize(axis) == 0)
    return op.emitOpError("reduces an empty axis");
  SmallVector<int64_t> want;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    if (d != axis)
      want.push_back(in.getDimSize(d));
    else if (op.getKeepdim())
      want.push_back(1);
  }
  return requireResultShape(op, res, want);
}

} // namespace

#define GET_OP_CLASSES
#include "Dojo/DojoOps.cpp.inc"

void DojoDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Dojo/DojoAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "Dojo/DojoOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

// #dojo.target<preset (, key = value)*> where value is an integer or a
// string (for `disabled`).
Attribute TargetAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  std::string preset;
  if (parser.parseLess() || parser.parseKeywordOrString(&preset))
    return {};
  MachineDesc desc;
  if (!MachineDesc::getPreset(preset, desc)) {
    parser.emitError(loc) << "unknown target preset '" << preset
                          << "' (expected tiny, small or d1)";
    return {};
  }
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc keyLoc = parser.getCurrentLocation();
    std::string key, value;
    if (parser.parseKeywordOrString(&key) || parser.parseEqual())
      return {};
    int64_t intValue = 0;
    OptionalParseResult intResult = parser.parseOptionalInteger(intValue);
    if (intResult.has_value()) {
      if (failed(*intResult))
        return {};
      value = std::to_string(intValue);
    } else if (parser.parseString(&value)) {
      return {};
    }
    std::string error;
    if (!desc.set(key, value, error)) {
      parser.emitError(keyLoc) << error;
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  std::string error;
  if (!desc.validate(error)) {
    parser.emitError(loc) << "invalid target: " << error;
    return {};
  }
  return TargetAttr::get(parser.getContext(), desc);
}

void TargetAttr::print(AsmPrinter &printer) const {
  const MachineDesc &d = getDesc();
  printer << "<" << d.preset;
  for (auto &[key, value] : d.overrides()) {
    printer << ", " << key << " = ";
    if (key == "disabled")
      printer << "\"" << value << "\"";
    else
      printer << value;
  }
  printer << ">";
}

TargetAttr TargetAttr::lookup(Operation *op) {
  for (Operation *cur = op; cur; cur = cur->getParentOp())
    if (auto t = cur->getAttrOfType<TargetAttr>(kAttrName))
      return t;
  return {};
}

//===----------------------------------------------------------------------===//
// Compute ops
//===----------------------------------------------------------------------===//

/// Checks `op(lhs) x op(rhs) -> res` on the trailing two dimensions; `batch`
/// is the number of leading batch dimensions.
static LogicalResult verifyContraction(Operation *op, RankedTensorType lhs,
                                       RankedTensorType rhs,
                                       RankedTensorType res, bool tl, bool tr,
                                       int64_t batch,
                                       SmallVectorImpl<int64_t> &want) {
  int64_t rank = batch + 2;
  if (lhs.getRank() != rank || rhs.getRank() != rank || res.getRank() != rank)
    return op->emitOpError("expects rank-") << rank << " operands and result";
  if (lhs.getElementType() != rhs.getElementType())
    return op->emitOpError("operand element types differ: ")
           << lhs.getElementType() << " vs " << rhs.getElementType();
  if (failed(requireStatic(op)))
    return failure();
  int64_t m = lhs.getDimSize(batch + (tl ? 1 : 0));
  int64_t k = lhs.getDimSize(batch + (tl ? 0 : 1));
  int64_t kb = rhs.getDimSize(batch + (tr ? 1 : 0));
  int64_t n = rhs.getDimSize(batch + (tr ? 0 : 1));
  if (k != kb)
    return op->emitOpError("contraction sizes differ: lhs has ")
           << k << (tl ? " rows" : " columns") << ", rhs has " << kb
           << (tr ? " columns" : " rows");
  want.append({m, n});
  return success();
}

int64_t MatmulOp::windowHalo() {
  int64_t halo = 0;
  if (auto w = getWindow())
    for (int64_t o : *w)
      halo = std::max(halo, o);
  return halo;
}

int64_t MatmulOp::contractionSize() {
  if (getWindow())
    return getRhs().getType().getDimSize(0);
  return getLhs().getType().getDimSize(getTransposeLhs() ? 0 : 1);
}

LogicalResult MatmulOp::verify() {
  if (auto w = getWindow()) {
    auto lhs = getLhs().getType(), rhs = getRhs().getType(), res = getType();
    if (getTransposeLhs() || getTransposeRhs())
      return emitOpError("window products take no transposes");
    if (lhs.getRank() != 2 || rhs.getRank() != 2 || res.getRank() != 2)
      return emitOpError("expects rank-2 operands and result");
    if (failed(requireStatic(*this)))
      return failure();
    if (lhs.getElementType() != rhs.getElementType())
      return emitOpError("operand element types differ: ")
             << lhs.getElementType() << " vs " << rhs.getElementType();
    if (w->empty())
      return emitOpError("window must have at least one offset");
    for (int64_t o : *w)
      if (o < 0)
        return emitOpError("window offsets must be non-negative, got ") << o;
    int64_t c = lhs.getDimSize(1);
    if (rhs.getDimSize(0) != int64_t(w->size()) * c)
      return emitOpError("rhs must have ")
             << int64_t(w->size()) * c << " rows (" << w->size()
             << " window offsets x " << c << " lhs columns), got "
             << rhs.getDimSize(0);
    if (res.getDimSize(1) != rhs.getDimSize(1))
      return emitOpError("result must have ") << rhs.getDimSize(1)
                                              << " columns";
    if (res.getDimSize(0) + windowHalo() > lhs.getDimSize(0))
      return emitOpError("window reads rows up to ")
             << res.getDimSize(0) + windowHalo() - 1 << " of an lhs of "
             << lhs.getDimSize(0) << " rows";
    return success();
  }
  SmallVector<int64_t> want;
  if (failed(verifyContraction(*this, getLhs().getType(), getRhs().getType(),
                               getType(), getTransposeLhs(),
                               getTransposeRhs(), 0, want)))
    return failure();
  if (getType().getShape() != ArrayRef<int64_t>(want))
    return emitOpError("result shape must be ") << want[0] << "x" << want[1];
  return success();
}

LogicalResult BatchMatmulOp::verify() {
  auto lhs = getLhs().getType(), rhs = getRhs().getType();
  SmallVector<int64_t> mn;
  if (failed(verifyContraction(*this, lhs, rhs, getType(), getTransposeLhs(),
                               getTransposeRhs(), 1, mn)))
    return failure();
  int64_t a = lhs.getDimSize(0), b = rhs.getDimSize(0);
  if (a != b && a != 1 && b != 1)
    return emitOpError("batch sizes differ: ")
           << a << " vs " << b << " (one may be 1 to broadcast)";
  return requireResultShape(*this, getType(),
                            {std::max(a, b), mn[0], mn[1]});
}

LogicalResult Conv2DOp::verify() {
  auto in = getInput().getType(), w = getFilter().getType();
  auto res = getType();
  if (failed(requireStatic(*this)))
    return failure();
  if (in.getRank() != 4 || w.getRank() != 4 || res.getRank() != 4)
    return emitOpError("expects rank-4 input, filter and result");
  if (failed(requireSameElementType(*this, in, w, "input and filter")))
    return failure();
  if (failed(verifyWindow(*this, getStrides(), getPadding(), getDilations())))
    return failure();
  Layout layout = getLayout();
  ImageDims d = imageDims(in, layout);
  auto ws = w.getShape();
  // OIHW or HWIO.
  int64_t o = layout == Layout::NCHW ? ws[0] : ws[3];
  int64_t ci = layout == Layout::NCHW ? ws[1] : ws[2];
  int64_t kh = layout == Layout::NCHW ? ws[2] : ws[0];
  int64_t kw = layout == Layout::NCHW ? ws[3] : ws[1];
  int64_t groups = int64_t(getGroups());
  if (groups < 1 || d.c % groups != 0 || o % groups != 0)
    return emitOpError("groups (")
           << groups << ") must divide the input channels (" << d.c
           << ") and the output channels (" << o << ")";
  if (ci * groups != d.c)
    return emitOpError("filter has ")
           << ci << " input channels per group, expected " << d.c / groups;
  if (Value bias = getBias()) {
    auto bt = cast<RankedTensorType>(bias.getType());
    if (bt.getElementType() != res.getElementType() ||
        bt.getShape() != ArrayRef<int64_t>{o})
      return emitOpError("bias must be a [")
             << o << "] tensor of the result element type";
  }
  ArrayRef<int64_t> s = getStrides(), p = getPadding(), dil = getDilations();
  int64_t oh = windowCount(d.h, p[0], p[2], dil[0] * (kh - 1) + 1, s[0]);
  int64_t ow = windowCount(d.w, p[1], p[3], dil[1] * (kw - 1) + 1, s[1]);
  if (oh < 1 || ow < 1)
    return emitOpError("filter does not fit the padded input");
  return requireResultShape(*this, res, imageShape(layout, d.n, o, oh, ow));
}

LogicalResult SoftmaxOp::verify() {
  if (failed(requireStatic(*this)))
    return failure();
  int64_t rank = getType().getRank(), axis = int64_t(getAxis());
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank "
                                << rank;
  return success();
}

LogicalResult LayerNormOp::verify() {
  if (failed(requireStatic(*this)))
    return failure();
  auto in = getInput().getType();
  int64_t axis = int64_t(getAxis());
  if (axis < 0 || axis >= in.getRank())
    return emitOpError("axis ") << axis << " is out of range for rank "
                                << in.getRank();
  ArrayRef<int64_t> norm = in.getShape().drop_front(axis);
  for (Value v : {getGamma(), getBeta()}) {
    if (!v)
      continue;
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getElementType() != in.getElementType() || t.getShape() != norm)
      return emitOpError("scale and bias must be ")
             << shapeStr(norm) << " tensors of the input element type";
  }
  if (!(getEpsilon().convertToFloat() >= 0.0f))
    return emitOpError("epsilon must be non-negative");
  return success();
}

LogicalResult BatchNormOp::verify() {
  if (failed(requireStatic(*this)))
    return failure();
  auto in = getInput().getType(), p = getMean().getType();
  int64_t axis = int64_t(getAxis());
  if (axis < 0 || axis >= in.getRank())
    return emitOpError("axis ") << axis << " is out of range for rank "
                                << in.getRank();
  if (p.getElementType() != in.getElementType() ||
      p.getShape() != ArrayRef<int64_t>{in.getDimSize(axis)})
    return emitOpError("mean, variance, scale and offset must be [")
           << in.getDimSize(axis) << "] tensors of the input element type";
  if (!(getEpsilon().convertToFloat() >= 0.0f))
    return emitOpError("epsilon must be non-negative");
  return success();
}

LogicalResult TransposeOp::verify() {
  auto in = getInput().getType(), res = getType();
  if (failed(requireStatic(*this)) ||
      failed(requireSameElementType(*this, in, res, "input and result")))
    return failure();
  ArrayRef<int64_t> perm = getPerm();
  if (int64_t(perm.size()) != in.getRank())
    return emitOpError("perm must have ") << in.getRank() << " entries";
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> want;
  for (int64_t p : perm) {
    if (p < 0 || p >= in.getRank() || seen[size_t(p)])
      return emitOpError("perm must be a permutation of [0, ")
             << in.getRank() << ")";
    seen[size_t(p)] = true;
    want.push_back(in.getDimSize(p));
  }
  return requireResultShape(*this, res, want);
}

LogicalResult ReshapeOp::verify() {
  auto in = getInput().getType(), res = getType();
  if (failed(requireStatic(*this)) ||
      failed(requireSameElementType(*this, in, res, "input and result")))
    return failure();
  if (in.getNumElements() != res.getNumElements())
    return emitOpError("changes the element count: ")
           << in.getNumElements() << " vs " << res.getNumElements();
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("expects at least one input");
  if (failed(requireStatic(*this)))
    return failure();
  auto res = getType();
  int64_t rank = res.getRank(), axis = int64_t(getAxis());
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank "
                                << rank;
  SmallVector<int64_t> want;
  for (auto [i, v] : llvm::enumerate(getInputs())) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getRank() != rank)
      return emitOpError("input ") << i << " has rank " << t.getRank()
                                   << ", expected " << rank;
    if (failed(requireSameElementType(*this, t, res, "input and result")))
      return failure();
    if (i == 0) {
      want.assign(t.getShape().begin(), t.getShape().end());
      continue;
    }
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && t.getDimSize(d) != want[size_t(d)])
        return emitOpError("input ")
               << i << " has size " << t.getDimSize(d) << " in dimension "
               << d << ", expected " << want[size_t(d)];
    want[size_t(axis)] += t.getDimSize(axis);
  }
  return requireResultShape(*this, res, want);
}

LogicalResult SliceOp::verify() {
  auto in = getInput().getType(), res = getType();
  if (failed(requireStatic(*this)) ||
      failed(requireSameElementType(*this, in, res, "input and result")))
    return failure();
  ArrayRef<int64_t> off = getOffsets(), sz = getSizes(), st = getStrides();
  size_t rank = size_t(in.getRank());
  if (off.size() != rank || sz.size() != rank || st.size() != rank)
    return emitOpError("offsets, sizes and strides must have ")
           << rank << " entries";
  for (size_t d = 0; d < rank; ++d) {
    if (off[d] < 0 || sz[d] < 0 || st[d] < 1)
      return emitOpError("offsets and sizes must be non-negative and "
                         "strides positive");
    if (sz[d] > 0 && off[d] + (sz[d] - 1) * st[d] >= in.getDimSize(int64_t(d)))
      return emitOpError("slice exceeds dimension ")
             << d << " of size " << in.getDimSize(int64_t(d));
  }
  return requireResultShape(*this, res, sz);
}

LogicalResult PadOp::verify() {
  auto in = getInput().getType(), res = getType();
  if (failed(requireStatic(*this)) ||
      failed(requireSameElementType(*this, in, res, "input and result")))
    return failure();
  ArrayRef<int64_t> lo = getLow(), hi = getHigh();
  size_t rank = size_t(in.getRank());
  if (lo.size() != rank || hi.size() != rank)
    return emitOpError("low and high must have ") << rank << " entries";
  SmallVector<int64_t> want;
  for (size_t d = 0; d < rank; ++d) {
    if (lo[d] < 0 || hi[d] < 0)
      return emitOpError("padding must be non-negative");
    want.push_back(in.getDimSize(int64_t(d)) + lo[d] + hi[d]);
  }
  return requireResultShape(*this, res, want);
}

LogicalResult GatherOp::verify() {
  auto table = getTable().getType(), idx = getIndices().getType();
  auto res = getType();
  if (failed(requireStatic(*this)) ||
      failed(requireSameElementType(*this, table, res, "table and result")))
    return failure();
  if (table.getRank() != 2)
    return emitOpError("expects a rank-2 table [rows, columns]");
  if (table.getDimSize(0) < 1)
    return emitOpError("table must have at least one row");
  SmallVector<int64_t> want(idx.getShape());
  want.push_back(table.getDimSize(1));
  return requireResultShape(*this, res, want);
}

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

int64_t KernelOp::numWorkers() {
  int64_t n = 1;
  for (int64_t g : getGrid())
    n *= g;
  return n;
}

int64_t KernelOp::foldFactor() {
  return getFold() ? int64_t(*getFold()) : 1;
}

int64_t KernelOp::foldedRows() {
  int64_t f = std::max<int64_t>(1, foldFactor());
  return (getGrid()[0] + f - 1) / f;
}

std::pair<int64_t, int64_t> KernelOp::placeIndex(int64_t i, int64_t j) {
  int64_t rows = foldedRows();
  return {i % rows, i / rows * getGrid()[1] + j};
}

int64_t KernelOp::inputHalo(unsigned i) {
  auto h = getHalos();
  return h && i < h->size() ? (*h)[i] : 0;
}

RankedTensorType KernelOp::inputBlockType(unsigned i) {
  RankedTensorType t = inputTileType(i);
  int64_t halo = inputHalo(i);
  if (halo == 0 || t.getRank() == 0)
    return t;
  SmallVector<int64_t> shape(t.getShape());
  shape[0] -= halo;
  return RankedTensorType::get(shape, t.getElementType());
}

RankedTensorType KernelOp::inputTileType(unsigned i) {
  return cast<RankedTensorType>(getBody().front().getArgument(i).getType());
}

YieldOp KernelOp::getYield() {
  return cast<YieldOp>(getBody().front().getTerminator());
}

RankedTensorType KernelOp::resultTileType() {
  return getYield().getValue().getType();
}

RankedTensorType KernelOp::logicalInputType(unsigned i) {
  auto t = cast<RankedTensorType>(getInputs()[i].getType());
  if (auto im = getIm2col();
      i == 0 && im && im->size() >= 8 && im->size() % 2 == 0 &&
      t.getRank() == 2 && (*im)[0] > 0 && (*im)[1] > 0 &&
      t.getDimSize(0) % ((*im)[0] * (*im)[1]) == 0) {
    int64_t images = t.getDimSize(0) / ((*im)[0] * (*im)[1]);
    int64_t taps = int64_t(im->size() - 6) / 2;
    return RankedTensorType::get(
        {images * (*im)[2] * (*im)[3], taps * t.getDimSize(1)},
        t.getElementType());
  }
  auto pad = getPadInput();
  if (i != 0 || !pad || pad->size() != 7 || t.getRank() != 2)
    return t;
  return RankedTensorType::get({(*pad)[0] * (*pad)[1] * (*pad)[2],
                                t.getDimSize(1)},
                               t.getElementType());
}

RankedTensorType KernelOp::logicalResultType() {
  RankedTensorType res = getType();
  auto crop = getCrop();
  if (!crop || crop->size() != 4 || res.getRank() != 2 || (*crop)[2] < 1 ||
      (*crop)[3] < 1)
    return res;
  int64_t images = res.getDimSize(0) / ((*crop)[2] * (*crop)[3]);
  return RankedTensorType::get(
      {images * (*crop)[0] * (*crop)[1], res.getDimSize(1)},
      res.getElementType());
}

// Checks that `tile` tiles `full` exactly through `map` over `grid`.
static LogicalResult verifyTiling(KernelOp op, StringRef what,
                                  RankedTensorType full, RankedTensorType tile,
                                  AffineMap map, ArrayRef<int64_t> grid,
                                  bool halo = false) {
  if (full.getElementType() != tile.getElementType())
    return op.emitOpError() << what << " tile element type "
                            << tile.getElementType() << " differs from "
                            << full.getElementType();
  if (full.getRank() != tile.getRank() ||
      map.getNumResults() != (unsigned)full.getRank())
    return op.emitOpError() << what << " tile rank, tensor rank and map "
                            << "results must agree";
  SmallVector<int64_t> maxIndex(grid.size());
  for (size_t i = 0; i < grid.size(); ++i)
    maxIndex[i] = grid[i] - 1;
  SmallVector<int64_t> last = map.compose(maxIndex);
  SmallVector<int64_t> zeros(grid.size(), 0);
  SmallVector<int64_t> first = map.compose(zeros);
  for (int64_t d = 0; d < full.getRank(); ++d) {
    if (first[d] != 0)
      return op.emitOpError() << what << " map must start at block 0";
    // Tiles cover the dimension; only the last may be ragged (reach past
    // the end), and it must not be empty.
    // Overlapping tiles (halos) read the rows they need, not every row.
    int64_t t = tile.getDimSize(d), n = full.getDimSize(d);
    bool covers = halo && d == 0 ? true : (last[d] + 1) * t >= n;
    if (!covers || (n > 0 && last[d] * t >= n))
      return op.emitOpError()
             << what << " tiles of size " << t << " over " << last[d] + 1
             << " block(s) do not cover dimension " << d << " of size " << n;
  }
  return success();
}

LogicalResult KernelOp::verify() {
  ArrayRef<int64_t> grid = getGrid();
  if (grid.empty())
    return emitOpError("grid must have at least one dimension");
  for (int64_t g : grid)
    if (g < 1)
      return emitOpError("grid sizes must be positive");
  if (getMaps().size() != getInputs().size() + 1)
    return emitOpError("expects one map per input plus one for the result, "
                       "got ")
           << getMaps().size();
  for (Attribute a : getMaps()) {
    AffineMap m = cast<AffineMapAttr>(a).getValue();
    if (m.getNumDims() != grid.size() || m.getNumSymbols() != 0)
      return emitOpError("maps must take ")
             << grid.size() << " grid dimension(s) and no symbols";
  }
  if (getPlaceRows().has_value() != getPlaceCols().has_value())
    return emitOpError("place_rows and place_cols go together");
  int64_t fold = foldFactor();
  if (getFold()) {
    if (grid.size() != 2 || fold < 1)
      return emitOpError("fold must be a positive factor of a 2-D grid");
    if (grid[0] <= (foldedRows()) * (fold - 1))
      return emitOpError("fold ")
             << fold << " leaves the last fold of " << grid[0]
             << " grid rows empty";
  }
  if (auto rows = getPlaceRows()) {
    // A packed placement lists every row's own columns (dojo-place).
    int64_t width = int64_t(getPlaceCols()->size());
    if ((*this)->hasAttr("dojo.packed_placement") && !rows->empty())
      width /= int64_t(rows->size());
    int64_t numCores = int64_t(rows->size()) * width;
    if (grid.size() == 2 && (foldedRows() > (int64_t)rows->size() ||
                             fold * grid[1] > width))
      return emitOpError("grid does not fit the placement: ")
             << rows->size() << " rows x " << width << " columns";
    if (grid.size() != 2 && numWorkers() > numCores)
      return emitOpError("grid needs ") << numWorkers() << " cores, placement has "
                                        << numCores;
  }
  if (auto offs = getArgOffsets())
    if (offs->size() != getInputs().size())
      return emitOpError("arg_offsets must have one entry per input");
  if (auto h = getHalos())
    if (h->size() != getInputs().size())
      return emitOpError("halos must have one entry per input");
  if (auto pad = getPadInput()) {
    if (pad->size() != 7)
      return emitOpError("pad_input must be [images, Hp, Wp, H, W, top, "
                         "left]");
    int64_t images = (*pad)[0], hp = (*pad)[1], wp = (*pad)[2],
            h = (*pad)[3], w = (*pad)[4], top = (*pad)[5], left = (*pad)[6];
    if (images < 1 || h < 1 || w < 1 || top < 0 || left < 0 ||
        top + h > hp || left + w > wp)
      return emitOpError("pad_input must place each H x W image inside its "
                         "Hp x Wp padding");
    auto in = getInputs().empty()
                  ? RankedTensorType()
                  : cast<RankedTensorType>(getInputs()[0].getType());
    if (!in || in.getRank() != 2 || in.getDimSize(0) % (h * w) != 0 ||
        in.getDimSize(0) / (h * w) > images)
      return emitOpError("pad_input needs input 0 to be 2-D with at most ")
             << images << " images of " << h << " x " << w << " rows";
    MLIRContext *ctx = getContext();
    AffineMap rows = AffineMap::get(
        2, 0, {getAffineDimExpr(0, ctx), getAffineConstantExpr(0, ctx)}, ctx);
    if (grid.size() != 2 ||
        cast<AffineMapAttr>(getMaps().getValue()[0]).getValue() != rows)
      return emitOpError("pad_input needs a 2-D grid and input 0's map "
                         "(i, j) -> (i, 0)");
  }
  if (auto im = getIm2col()) {
    if (getPadInput())
      return emitOpError("cannot have both pad_input and im2col");
    if (im->size() < 8 || im->size() % 2 != 0)
      return emitOpError("im2col must be [Hp, Wp, OH, OW, SH, SW, dy, dx, "
                         "...] with at least one tap");
    int64_t hp = (*im)[0], wp = (*im)[1], oh = (*im)[2], ow = (*im)[3],
            sh = (*im)[4], sw = (*im)[5];
    if (hp < 1 || wp < 1 || oh < 1 || ow < 1 || sh < 1 || sw < 1)
      return emitOpError("im2col sizes and strides must be positive");
    for (size_t t = 6; t < im->size(); t += 2) {
      int64_t dy = (*im)[t], dx = (*im)[t + 1];
      if (dy < 0 || dx < 0 || (oh - 1) * sh + dy >= hp ||
          (ow - 1) * sw + dx >= wp)
        return emitOpError("im2col tap (")
               << dy << ", " << dx << ") reads outside the " << hp << " x "
               << wp << " image";
    }
    auto in = getInputs().empty()
                  ? RankedTensorType()
                  : cast<RankedTensorType>(getInputs()[0].getType());
    if (!in || in.getRank() != 2 || in.getDimSize(0) % (hp * wp) != 0)
      return emitOpError("im2col needs input 0 to be 2-D, whole images of ")
             << hp << " x " << wp << " rows";
    MLIRContext *ctx = getContext();
    AffineMap rows = AffineMap::get(
        2, 0, {getAffineDimExpr(0, ctx), getAffineConstantExpr(0, ctx)}, ctx);
    if (grid.size() != 2 ||
        cast<AffineMapAttr>(getMaps().getValue()[0]).getValue() != rows)
      return emitOpError("im2col needs a 2-D grid and input 0's map "
                         "(i, j) -> (i, 0)");
  }
  if (auto crop = getCrop()) {
    RankedTensorType res = getType();
    if (crop->size() != 4)
      return emitOpError("crop must be [Hp, Wp, OH, OW]");
    int64_t hp = (*crop)[0], wp = (*crop)[1], oh = (*crop)[2],
            ow = (*crop)[3];
    if (oh < 1 || ow < 1 || oh > hp || ow > wp)
      return emitOpError("crop [")
             << hp << ", " << wp << ", " << oh << ", " << ow
             << "] must keep 1..Hp rows and 1..Wp columns of each image";
    if (res.getRank() != 2 || res.getDimSize(0) % (oh * ow) != 0)
      return emitOpError("crop needs a 2-D result whose rows are whole "
                         "images of ")
             << oh << " x " << ow << " positions";
    MLIRContext *ctx = getContext();
    AffineMap ident = AffineMap::getMultiDimIdentityMap(2, ctx);
    if (grid.size() != 2 ||
        cast<AffineMapAttr>(getMaps().getValue().back()).getValue() != ident)
      return emitOpError("crop needs a 2-D grid and the result map "
                         "(i, j) -> (i, j)");
  }
  return success();
}

LogicalResult KernelOp::verifyRegions() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError("body must take one tile argument per input");
  if (!isa<YieldOp>(body.getTerminator()))
    return emitOpError("body must end with dojo.yield");
  auto maps = getMaps().getValue();
  for (unsigned i = 0; i < getInputs().size(); ++i) {
    auto tile = dyn_cast<RankedTensorType>(body.getArgument(i).getType());
    if (!tile)
      return emitOpError("tile arguments must be ranked tensors");
    if (int64_t halo = inputHalo(i)) {
      if (halo < 0 || tile.getRank() < 1 || halo >= tile.getDimSize(0))
        return emitOpError("input ")
               << i << " halo of " << halo
               << " rows must be non-negative and less than its tile's rows";
    }
    auto full = logicalInputType(i);
    if (failed(verifyTiling(*this, ("input " + Twine(i)).str(), full,
                            inputBlockType(i),
                            cast<AffineMapAttr>(maps[i]).getValue(),
                            getGrid(), inputHalo(i) > 0)))
      return failure();
  }
  return verifyTiling(*this, "result", logicalResultType(), resultTileType(),
                      cast<AffineMapAttr>(maps.back()).getValue(), getGrid());
}

//===----------------------------------------------------------------------===//
// CompareOp, SelectOp
//===----------------------------------------------------------------------===//

LogicalResult CompareOp::verify() {
  auto lhs = getLhs().getType(), rhs = getRhs().getType();
  if (failed(requireSameElementType(*this, lhs, rhs, "operand")))
    return failure();
  return verifyBroadcastShapes(*this, {lhs, rhs}, getType());
}

LogicalResult SelectOp::verify() {
  auto t = getTrueValue().getType(), f = getFalseValue().getType();
  if (failed(requireSameElementType(*this, t, f, "value")) ||
      failed(requireSameElementType(*this, t, getType(), "value and result")))
    return failure();
  return verifyBroadcastShapes(*this, {getCondition().getType(), t, f},
                               getType());
}
