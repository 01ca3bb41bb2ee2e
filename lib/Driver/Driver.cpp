//===- Driver.cpp - Compile, simulate and verify in one call --------------===//
//
// compile(): parse -> dojo-graph-pipeline (kept as graphIR for the reference
// interpreter) and, on a copy of the parsed module, dojo-pipeline -> the one
// dojoisa.program -> emitProgram. All diagnostics are captured as text with
// their source locations.
//
// runReference(): parse graph-level IR, bind inputs to the function's
// arguments by program symbol name (unnamed inputs by position; an F32 input
// may feed a BF16 argument and is rounded to nearest even), interpret, name
// outputs result<i>.
//
//===----------------------------------------------------------------------===//

#include "dojo/Driver/Driver.h"

#include "DojoISA/DojoISADialect.h"
#include "dojo/Emit/Emitter.h"
#include "dojo/Pipelines/Pipelines.h"
#include "dojo/Reference/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

using namespace mlir;
using namespace dojo;
using namespace dojo::driver;

namespace {

/// Everything needed to parse and diagnose one piece of IR text.
struct Session {
  MLIRContext ctx;
  llvm::SourceMgr sourceMgr;
  std::string diagText;
  llvm::raw_string_ostream diagStream{diagText};
  SourceMgrDiagnosticHandler handler{sourceMgr, &ctx, diagStream};

  Session() : ctx(makeRegistry(), MLIRContext::Threading::DISABLED) {
    ctx.loadAllAvailableDialects();
    // Diagnostics are for users: no dump of the whole enclosing op.
    ctx.printOpOnDiagnostic(false);
  }

  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    registerDojoDialects(registry);
    return registry;
  }

  OwningOpRef<ModuleOp> parse(const std::string &text,
                              const std::string &name) {
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, name), llvm::SMLoc());
    return parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&ctx));
  }

  /// A diagnostic not tied to a source location.
  void error(const llvm::Twine &msg) {
    diagStream << "error: " << msg << "\n";
  }
};

void registerPassesOnce() {
  static std::once_flag once;
  std::call_once(once, [] { registerDojoPasses(); });
}

std::string printOp(Operation *op, bool withLocations) {
  std::string s;
  llvm::raw_string_ostream os(s);
  OpPrintingFlags flags;
  if (withLocations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  op->print(os, flags);
  return s;
}

/// Records the module after every pass, keyed by pass argument.
class StageRecorder : public PassInstrumentation {
public:
  StageRecorder(ModuleOp module, std::map<std::string, std::string> &stages)
      : module(module), stages(stages) {}

  void runAfterPass(Pass *pass, Operation *) override {
    StringRef arg = pass->getArgument();
    if (arg.empty()) // pass adaptors and anonymous passes
      return;
    auto it = keys.find(pass);
    if (it == keys.end()) {
      std::string key = arg.str();
      for (int i = 2; stages.count(key); ++i)
        key = (arg + "#" + llvm::Twine(i)).str();
      it = keys.emplace(pass, key).first;
    }
    // A function pass runs once per function: the last run wins, and it
    // shows the module with every function transformed.
    stages[it->second] = printOp(module, /*withLocations=*/false);
  }

private:
  ModuleOp module;
  std::map<std::string, std::string> &stages;
  std::map<Pass *, std::string> keys;
};

//===----------------------------------------------------------------------===//
// extraPipeline: per-pass option overrides
//===----------------------------------------------------------------------===//

/// Splits `s` at top-level occurrences of `sep` (outside {} and quotes).
std::vector<std::string> splitTopLevel(StringRef s, char sep) {
  std::vector<std::string> out;
  int depth = 0;
  char quote = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '{' || c == '(') {
      ++depth;
    } else if (c == '}' || c == ')') {
      --depth;
    } else if (c == sep && depth == 0) {
      out.push_back(s.substr(start, i - start).trim().str());
      start = i + 1;
    }
  }
  out.push_back(s.substr(start).trim().str());
  llvm::erase_if(out, [](const std::string &x) { return x.empty(); });
  return out;
}

/// Merges `extra` (space separated key=value) into `base`: keys of `extra`
/// replace those of `base`, new keys are appended.
std::string mergeOptions(StringRef base, StringRef extra) {
  auto key = [](StringRef kv) { return kv.split('=').first.trim(); };
  std::vector<std::string> b = splitTopLevel(base, ' ');
  std::vector<std::string> e = splitTopLevel(extra, ' ');
  std::string out;
  for (const std::string &kv : b) {
    bool overridden = llvm::any_of(
        e, [&](const std::string &x) { return key(x) == key(kv); });
    if (!overridden)
      out += (out.empty() ? "" : " ") + kv;
  }
  for (const std::string &kv : e)
    out += (out.empty() ? "" : " ") + kv;
  return out;
}

/// Applies `extra` = "pass-a{k=v ...},pass-b{...}" to every occurrence of
/// those passes in the textual pipeline `text`. Fails if a pass does not
/// occur.
LogicalResult applyOverrides(std::string &text, StringRef extra,
                             std::string &error) {
  for (const std::string &item : splitTopLevel(extra, ',')) {
    StringRef it(item);
    size_t brace = it.find('{');
    StringRef name = it.substr(0, brace).trim();
    StringRef opts;
    if (brace != StringRef::npos) {
      if (!it.ends_with("}")) {
        error = "malformed pass options '" + item + "'";
        return failure();
      }
      opts = it.slice(brace + 1, it.size() - 1);
    }
    bool found = false;
    size_t pos = 0;
    while ((pos = text.find(name.str(), pos)) != std::string::npos) {
      size_t end = pos + name.size();
      bool startOk = pos == 0 || text[pos - 1] == '(' || text[pos - 1] == ',';
      bool endOk = end == text.size() || text[end] == '{' ||
                   text[end] == ',' || text[end] == ')';
      if (!startOk || !endOk) {
        pos = end;
        continue;
      }
      found = true;
      std::string base;
      size_t after = end;
      if (end < text.size() && text[end] == '{') {
        int depth = 0;
        size_t i = end;
        for (; i < text.size(); ++i) {
          if (text[i] == '{')
            ++depth;
          else if (text[i] == '}' && --depth == 0)
            break;
        }
        base = text.substr(end + 1, i - end - 1);
        after = i + 1;
      }
      std::string replacement =
          name.str() + "{" + mergeOptions(base, opts) + "}";
      text.replace(pos, after - pos, replacement);
      pos += replacement.size();
    }
    if (!found) {
      error = ("pass '" + name + "' is not part of dojo-pipeline").str();
      return failure();
    }
  }
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// compile
//===----------------------------------------------------------------------===//

CompileResult driver::compile(const std::string &mlirText,
                              const std::string &sourceName,
                              const CompileOptions &options) {
  registerPassesOnce();
  CompileResult result;
  Session s;
  auto finish = [&](bool ok) {
    result.ok = ok;
    s.diagStream.flush();
    result.diagnostics = s.diagText;
    return result;
  };

  OwningOpRef<ModuleOp> module =
      s.parse(mlirText, sourceName.empty() ? "<input>" : sourceName);
  if (!module)
    return finish(false);

  DojoPipelineOptions pipelineOptions;
  pipelineOptions.target = options.target;

  // The full pipeline runs on a copy of the parsed module.
  OwningOpRef<ModuleOp> full = module->clone();

  // Graph level: what the reference interpreter runs.
  {
    PassManager pm(&s.ctx);
    buildDojoGraphPipeline(pm, pipelineOptions);
    if (failed(pm.run(*module)))
      return finish(false);
    result.graphIR = printOp(*module, /*withLocations=*/true);
  }
  if (options.graphOnly)
    return finish(true);

  PassManager pm(&s.ctx);
  buildDojoPipeline(pm, pipelineOptions);
  if (!options.extraPipeline.empty()) {
    std::string text, error;
    llvm::raw_string_ostream os(text);
    pm.printAsTextualPipeline(os);
    os.flush();
    if (failed(applyOverrides(text, options.extraPipeline, error))) {
      s.error("invalid pipeline options: " + error);
      return finish(false);
    }
    // The printed pipeline carries its anchor (`any(...)` or
    // `builtin.module(...)`), so it parses back to the same nesting.
    std::string parseError;
    llvm::raw_string_ostream perr(parseError);
    FailureOr<OpPassManager> custom = parsePassPipeline(text, perr);
    if (failed(custom)) {
      perr.flush();
      s.error("invalid pipeline options '" + options.extraPipeline +
              "': " + parseError);
      return finish(false);
    }
    static_cast<OpPassManager &>(pm) = *custom;
  }
  if (options.keepStages)
    pm.addInstrumentation(std::make_unique<StageRecorder>(*full, result.stages));
  if (failed(pm.run(*full)))
    return finish(false);

  SmallVector<isa_ir::ProgramOp> programs;
  full->walk([&](isa_ir::ProgramOp p) { programs.push_back(p); });
  if (programs.size() != 1) {
    (*full)->emitError("expected exactly one dojoisa.program after "
                       "dojo-pipeline, found ")
        << programs.size();
    return finish(false);
  }
  if (failed(emitProgram(programs.front(), result.program)))
    return finish(false);
  if (absl::Status st = result.program.validate(); !st.ok()) {
    programs.front()->emitError("emitted program is invalid: ")
        << std::string(st.message());
    return finish(false);
  }
  return finish(true);
}

//===----------------------------------------------------------------------===//
// runReference
//===----------------------------------------------------------------------===//

namespace {

/// The function the reference runs: the only one, else the first public one
/// with a body.
func::FuncOp pickFunction(ModuleOp module) {
  SmallVector<func::FuncOp> funcs;
  for (auto f : module.getOps<func::FuncOp>())
    if (!f.isExternal())
      funcs.push_back(f);
  if (funcs.size() == 1)
    return funcs.front();
  for (func::FuncOp f : funcs)
    if (f.isPublic())
      return f;
  return {};
}

/// Host dtype of a reference argument type; integer and boolean types
/// (i1, i8, i16, i32, i64) are all I32 with their `intBits`.
bool dtypeOfType(Type t, num::DType &out, unsigned &intBits) {
  auto rt = dyn_cast<RankedTensorType>(t);
  if (!rt)
    return false;
  Type e = rt.getElementType();
  intBits = 0;
  if (e.isF32())
    out = num::DType::F32;
  else if (llvm::isa<BFloat16Type>(e))
    out = num::DType::BF16;
  else if (llvm::isa<Float8E4M3FNType>(e))
    out = num::DType::CFP8_143;
  else if (llvm::isa<Float8E5M2Type>(e))
    out = num::DType::CFP8_152;
  else if (e.isSignlessInteger(1) || e.isSignlessInteger(8) ||
           e.isSignlessInteger(16) || e.isSignlessInteger(32) ||
           e.isSignlessInteger(64)) {
    out = num::DType::I32;
    intBits = e.getIntOrFloatBitWidth();
  } else
    return false;
  return true;
}

std::string shapeStr(num::DType dt, llvm::ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << num::dtypeName(dt) << "[";
  llvm::interleave(shape, os, "x");
  os << "]";
  return s;
}

} // namespace

ReferenceResult driver::runReference(const std::string &graphIR,
                                     const std::vector<HostTensor> &inputs) {
  ReferenceResult result;
  Session s;
  auto finish = [&](bool ok) {
    result.ok = ok;
    s.diagStream.flush();
    result.diagnostics = s.diagText;
    return result;
  };
  OwningOpRef<ModuleOp> module = s.parse(graphIR, "graph.mlir");
  if (!module)
    return finish(false);
  func::FuncOp func = pickFunction(*module);
  if (!func) {
    (*module)->emitError("reference: no function to run (expected one "
                         "function, or a public one)");
    return finish(false);
  }

  std::vector<ref::Tensor> args;
  std::vector<bool> used(inputs.size(), false);
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    std::string name = "arg" + std::to_string(i);
    if (auto attr = func.getArgAttrOfType<StringAttr>(i, "dojo.name"))
      name = attr.str();
    const HostTensor *in = nullptr;
    for (size_t j = 0; j < inputs.size() && !in; ++j)
      if (!used[j] && inputs[j].name == name) {
        in = &inputs[j];
        used[j] = true;
      }
    // Unnamed inputs bind by position.
    if (!in && i < inputs.size() && !used[i] && inputs[i].name.empty()) {
      in = &inputs[i];
      used[i] = true;
    }
    if (!in) {
      func.emitError("reference: no input named '") << name << "'";
      return finish(false);
    }
    Type argType = func.getArgument(i).getType();
    num::DType dt;
    unsigned intBits = 0;
    if (!dtypeOfType(argType, dt, intBits)) {
      func.emitError("reference: unsupported argument type ") << argType;
      return finish(false);
    }
    auto shape = cast<RankedTensorType>(argType).getShape();
    int64_t elems = 1;
    for (int64_t d : shape)
      elems *= d;
    // An F32 tensor may stand for a BF16 argument: its values are rounded
    // to nearest even (how Python hands over BF16 data).
    bool widened = in->dtype == num::DType::F32 && dt == num::DType::BF16;
    num::DType have = widened ? num::DType::F32 : dt;
    if ((in->dtype != dt && !widened) || !llvm::equal(in->shape, shape) ||
        int64_t(in->bytes.size()) != elems * num::dtypeBytes(have)) {
      func.emitError("reference: input '")
          << name << "' is " << shapeStr(in->dtype, in->shape) << " ("
          << in->bytes.size() << " bytes) but the argument is "
          << shapeStr(dt, shape);
      return finish(false);
    }
    ref::Tensor t = ref::Tensor::fromBytes(
        have, std::vector<int64_t>(shape.begin(), shape.end()), in->bytes);
    if (widened) {
      t.dtype = dt;
      for (float &v : t.data)
        v = num::roundBf16(v);
    }
    if (intBits) {
      // i32 host data for an integer or boolean argument, wrapped to its
      // width.
      t.intBits = intBits;
      t.wrapInts();
    }

    args.push_back(std::move(t));
  }

  FailureOr<std::vector<ref::Tensor>> outs = ref::interpret(func, args);
  if (failed(outs))
    return finish(false);
  for (auto [i, t] : llvm::enumerate(*outs)) {
    HostTensor h;
    h.name = "result" + std::to_string(i);
    h.dtype = t.dtype;
    h.shape = t.shape;
    h.bytes = t.toBytes();
    result.outputs.push_back(std::move(h));
  }
  return finish(true);
}
