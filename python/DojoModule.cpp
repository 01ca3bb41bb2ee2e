//===- DojoModule.cpp - The _dojo Python extension ------------------------===//
//
// A plain pybind11 module over the MLIR-free Driver API: compile MLIR text
// for a target, inspect and save the program, run it on the simulator, and
// run the reference interpreter on the graph-level IR. BF16 tensors cross
// the boundary as float32 NumPy arrays (rounded to nearest even on input,
// exact on output). Built with exceptions and without MLIR headers.
//===----------------------------------------------------------------------===//

#include "dojo/Driver/Driver.h"
#include "dojo/ISA/Program.h"
#include "dojo/Sim/Simulator.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace py = pybind11;
using namespace dojo;

namespace {

// Leaked on purpose: no Python object may be released after finalization.
py::object &compileErrorType() {
  static py::object *t = new py::object();
  return *t;
}
py::object &simulationErrorType() {
  static py::object *t = new py::object();
  return *t;
}

/// Raises `type(message)` with extra attributes.
[[noreturn]] void raise(py::object &type, const std::string &message,
                        const py::dict &attrs) {
  py::object err = type(message);
  for (auto item : attrs)
    err.attr(item.first) = item.second;
  PyErr_SetObject(type.ptr(), err.ptr());
  throw py::error_already_set();
}

std::string shapeStr(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

py::object numpyDtype(num::DType t) {
  switch (t) {
  case num::DType::F32:
  case num::DType::BF16:
    return py::dtype::of<float>();
  case num::DType::I32:
    return py::dtype::of<int32_t>();
  case num::DType::I8:
    return py::dtype::of<int8_t>();
  case num::DType::I16:
    return py::dtype::of<int16_t>();
  case num::DType::CFP8_143: // raw codes (the bias is a core CSR)
  case num::DType::CFP8_152:
    return py::dtype::of<uint8_t>();
  case num::DType::CFP16:
    return py::dtype::of<uint16_t>();
  }
  return py::dtype::of<float>();
}

/// A NumPy array (anything array-like) -> bytes of `dtype` x `shape`.
std::vector<uint8_t> arrayToBytes(const std::string &name, py::handle value,
                                  num::DType dtype,
                                  const std::vector<int64_t> &shape) {
  py::module_ np = py::module_::import("numpy");
  // np.array(order="C"), not ascontiguousarray: that turns 0-d arrays
  // (rank-0 tensors) into 1-d ones.
  py::array arr = np.attr("array")(value, numpyDtype(dtype),
                                   py::arg("order") = "C");
  std::vector<int64_t> have(arr.shape(), arr.shape() + arr.ndim());
  if (have != shape)
    throw py::value_error("input '" + name + "' has shape " + shapeStr(have) +
                          ", expected " + shapeStr(shape));
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<uint8_t> bytes(size_t(n * num::dtypeBytes(dtype)));
  if (dtype == num::DType::BF16) {
    const float *src = static_cast<const float *>(arr.data());
    for (int64_t i = 0; i < n; ++i)
      num::storeFromF32(bytes.data(), dtype, i, src[i]);
  } else {
    std::memcpy(bytes.data(), arr.data(), bytes.size());
  }
  return bytes;
}

/// Bytes of `dtype` x `shape` -> a new NumPy array (BF16 as float32).
py::array bytesToArray(const std::vector<uint8_t> &bytes, num::DType dtype,
                       const std::vector<int64_t> &shape) {
  std::vector<py::ssize_t> dims(shape.begin(), shape.end());
  py::array arr(py::dtype(numpyDtype(dtype)), dims);
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  if (int64_t(bytes.size()) != n * num::dtypeBytes(dtype))
    throw std::runtime_error("internal error: tensor byte size mismatch");
  if (dtype == num::DType::BF16) {
    float *dst = static_cast<float *>(arr.mutable_data());
    for (int64_t i = 0; i < n; ++i)
      dst[i] = num::loadAsF32(bytes.data(), dtype, i);
  } else {
    std::memcpy(arr.mutable_data(), bytes.data(), bytes.size());
  }
  return arr;
}

/// A compiled (or loaded) program.
class CompiledProgram {
public:
  CompiledProgram(isa::Program program, std::string graphIR,
                  std::map<std::string, std::string> stages,
                  std::string diagnostics)
      : program_(std::move(program)), graphIR_(std::move(graphIR)),
        stages_(std::move(stages)), diagnostics_(std::move(diagnostics)) {}

  std::string asm_() const { return isa::writeAssembly(program_); }
  py::bytes binary() const {
    std::vector<uint8_t> b = isa::writeBinary(program_);
    return py::bytes(reinterpret_cast<const char *>(b.data()), b.size());
  }
  void save(const std::string &path, bool binary) const {
    absl::Status st = isa::writeProgramFile(program_, path, binary);
    if (!st.ok())
      throw std::runtime_error("cannot save program to '" + path +
                               "': " + std::string(st.message()));
  }
  const std::string &mlir() const {
    if (graphIR_.empty())
      throw std::runtime_error("this program has no graph-level IR (it was "
                               "loaded from a program file)");
    return graphIR_;
  }
  std::string target() const { return program_.target.str(); }
  const std::map<std::string, std::string> &stages() const { return stages_; }
  const std::string &diagnostics() const { return diagnostics_; }

  py::list symbols() const {
    py::list out;
    for (const isa::Symbol &s : program_.symbols) {
      py::dict d;
      d["name"] = s.name;
      d["kind"] = s.isOutput ? "output" : "input";
      d["dtype"] = num::dtypeName(s.dtype);
      d["shape"] = py::tuple(py::cast(s.shape));
      d["dram_offset"] = s.dramOffset;
      out.append(d);
    }
    return out;
  }
  std::vector<std::string> inputNames() const {
    std::vector<std::string> v;
    for (const isa::Symbol &s : program_.symbols)
      if (!s.isOutput)
        v.push_back(s.name);
    return v;
  }
  std::vector<std::string> outputNames() const {
    std::vector<std::string> v;
    for (const isa::Symbol &s : program_.symbols)
      if (s.isOutput)
        v.push_back(s.name);
    return v;
  }

  /// Binds `inputs` (a dict name -> array, or a sequence in input order) to
  /// the program's input symbols.
  std::vector<driver::HostTensor> bindInputs(py::handle inputs) const {
    std::vector<const isa::Symbol *> ins;
    for (const isa::Symbol &s : program_.symbols)
      if (!s.isOutput)
        ins.push_back(&s);
    std::vector<driver::HostTensor> out;
    if (py::isinstance<py::dict>(inputs)) {
      py::dict d = py::reinterpret_borrow<py::dict>(inputs);
      for (auto item : d) {
        std::string key = py::str(item.first);
        bool known = false;
        for (const isa::Symbol *s : ins)
          known |= s->name == key;
        if (!known)
          throw py::key_error("the program has no input named '" + key +
                              "'");
      }
      for (const isa::Symbol *s : ins) {
        if (!d.contains(s->name))
          throw py::key_error("missing input '" + s->name + "'");
        out.push_back({s->name, s->dtype, s->shape,
                       arrayToBytes(s->name, d[py::str(s->name)], s->dtype,
                                    s->shape)});
      }
    } else {
      if (!py::isinstance<py::sequence>(inputs) ||
          py::isinstance<py::str>(inputs))
        throw py::type_error("inputs must be a dict (name -> array) or a "
                             "sequence of arrays in input order");
      py::sequence seq = py::reinterpret_borrow<py::sequence>(inputs);
      if (seq.size() != ins.size())
        throw py::value_error("expected " + std::to_string(ins.size()) +
                              " inputs, got " + std::to_string(seq.size()));
      for (size_t i = 0; i < ins.size(); ++i)
        out.push_back({ins[i]->name, ins[i]->dtype, ins[i]->shape,
                       arrayToBytes(ins[i]->name, seq[i], ins[i]->dtype,
                                    ins[i]->shape)});
    }
    return out;
  }

  py::tuple run(py::handle inputs, uint64_t maxInstructions) const {
    std::vector<driver::HostTensor> bound = bindInputs(inputs);
    sim::Options opts;
    if (maxInstructions)
      opts.instructionBudget = maxInstructions;
    sim::Simulator simulator(program_, opts);
    for (const driver::HostTensor &h : bound) {
      absl::Status st = simulator.setInput(h.name, h.bytes);
      if (!st.ok())
        throw py::value_error(std::string(st.message()));
    }
    absl::Status st;
    {
      py::gil_scoped_release release;
      st = simulator.run();
    }
    if (!st.ok()) {
      sim::FaultKind k = simulator.fault();
      py::dict attrs;
      attrs["kind"] = sim::faultKindName(k);
      attrs["code"] = int(k);
      raise(simulationErrorType(),
            std::string(sim::faultKindName(k)) + ": " +
                std::string(st.message()),
            attrs);
    }
    py::dict outputs;
    for (const isa::Symbol &s : program_.symbols) {
      if (!s.isOutput)
        continue;
      absl::StatusOr<std::vector<uint8_t>> b = simulator.getSymbol(s.name);
      if (!b.ok())
        throw std::runtime_error(std::string(b.status().message()));
      outputs[py::str(s.name)] = bytesToArray(*b, s.dtype, s.shape);
    }
    const sim::Stats &t = simulator.stats();
    py::dict stats;
    stats["cycles"] = t.cycles;
    stats["seconds"] = t.seconds();
    stats["clock_mhz"] = t.clockMhz;
    stats["instructions"] = t.instructions;
    stats["macs"] = t.macs;
    stats["utilization"] = t.utilization();
    stats["mac_per_cycle"] = t.macPerCycle;
    stats["cores_used"] = t.coresUsed;
    stats["cores_enabled"] = t.coresEnabled;
    stats["noc_bytes"] = t.nocBytes;
    stats["noc_byte_hops"] = t.nocByteHops;
    stats["dram_bytes"] = t.dramBytes;
    stats["sram_high_water"] = t.sramHighWater;
    stats["sram_bytes"] = program_.target.sram_bytes;
    // Per layer (source location), in order of first execution.
    py::list layers;
    for (const sim::LocationStats &l : t.locations) {
      py::dict d;
      d["loc"] = l.loc;
      d["first"] = l.first;
      d["last"] = l.last;
      d["cycles"] = l.last >= l.first ? l.last - l.first : 0;
      d["busy"] = l.busy;
      d["cores"] = l.cores;
      d["instructions"] = l.instructions;
      d["macs"] = l.macs;
      d["sram_high_water"] = l.sramHighWater;
      layers.append(d);
    }
    stats["layers"] = layers;
    return py::make_tuple(outputs, stats);
  }

  py::dict reference(py::handle inputs) const {
    const std::string &ir = mlir();
    std::vector<driver::HostTensor> bound = bindInputs(inputs);
    driver::ReferenceResult rr;
    {
      py::gil_scoped_release release;
      rr = driver::runReference(ir, bound);
    }
    if (!rr.ok)
      throw std::runtime_error("reference interpreter failed:\n" +
                               rr.diagnostics);
    py::dict out;
    for (const driver::HostTensor &h : rr.outputs)
      out[py::str(h.name)] = bytesToArray(h.bytes, h.dtype, h.shape);
    return out;
  }

private:
  isa::Program program_;
  std::string graphIR_;
  std::map<std::string, std::string> stages_;
  std::string diagnostics_;
};

CompiledProgram compile(const std::string &text, const std::string &target,
                        const std::string &sourceName, bool keepStages,
                        const std::string &passOptions, bool graphOnly) {
  driver::CompileOptions opts;
  opts.graphOnly = graphOnly;
  opts.target = target;
  opts.keepStages = keepStages;
  opts.extraPipeline = passOptions;
  driver::CompileResult r;
  {
    py::gil_scoped_release release;
    r = driver::compile(text, sourceName, opts);
  }
  if (!r.ok) {
    py::dict attrs;
    attrs["diagnostics"] = r.diagnostics;
    std::string msg = r.diagnostics.empty() ? "compilation failed"
                                            : r.diagnostics;
    while (!msg.empty() && msg.back() == '\n')
      msg.pop_back();
    raise(compileErrorType(), msg, attrs);
  }
  return CompiledProgram(std::move(r.program), std::move(r.graphIR),
                         std::move(r.stages), std::move(r.diagnostics));
}

CompiledProgram loadProgram(const std::string &path) {
  absl::StatusOr<isa::Program> p = isa::readProgramFile(path);
  if (!p.ok()) {
    py::dict attrs;
    attrs["kind"] = sim::faultKindName(sim::FaultKind::BadProgram);
    attrs["code"] = int(sim::FaultKind::BadProgram);
    raise(simulationErrorType(), path + ": " + std::string(p.status().message()),
          attrs);
  }
  return CompiledProgram(std::move(*p), "", {}, "");
}

/// Runs the reference interpreter on graph-level IR text (dojo ops on
/// tensors, e.g. CompiledProgram.mlir() or hand-written). `inputs` is a dict
/// by argument symbol name (arg<i> or dojo.name) or a sequence in argument
/// order; arrays are float32 (rounded for bf16 arguments), integer arrays
/// int32 (for i32/i64 index arguments).
py::dict runReference(const std::string &graphIR, py::handle inputs) {
  py::module_ np = py::module_::import("numpy");
  std::vector<driver::HostTensor> host;
  auto add = [&](std::string name, py::handle value) {
    driver::HostTensor h;
    h.name = std::move(name);
    h.dtype = num::DType::F32;
    py::array arr = np.attr("asarray")(value);
    // Integer and boolean arrays go over as int32.
    char kind = arr.dtype().kind();
    if (kind == 'i' || kind == 'u' || kind == 'b') {
      py::object iinfo = np.attr("iinfo")(np.attr("int32"));
      if (arr.size() > 0 &&
          (py::int_(arr.attr("min")()).cast<int64_t>() <
               iinfo.attr("min").cast<int64_t>() ||
           py::int_(arr.attr("max")()).cast<int64_t>() >
               iinfo.attr("max").cast<int64_t>()))
        throw py::value_error("input '" + h.name +
                              "': integer values must fit in int32");
      arr = np.attr("array")(arr, py::dtype::of<int32_t>(),
                             py::arg("order") = "C");
      h.dtype = num::DType::I32;
    } else {
      arr = np.attr("array")(arr, py::dtype::of<float>(),
                             py::arg("order") = "C");
    }
    h.shape.assign(arr.shape(), arr.shape() + arr.ndim());
    const uint8_t *p = static_cast<const uint8_t *>(arr.data());
    h.bytes.assign(p, p + arr.nbytes());
    host.push_back(std::move(h));
  };
  if (py::isinstance<py::dict>(inputs)) {
    for (auto item : py::reinterpret_borrow<py::dict>(inputs))
      add(py::str(item.first), item.second);
  } else if (py::isinstance<py::sequence>(inputs) &&
             !py::isinstance<py::str>(inputs)) {
    for (py::handle v : py::reinterpret_borrow<py::sequence>(inputs))
      add("", v);
  } else {
    throw py::type_error("inputs must be a dict (name -> array) or a "
                         "sequence of arrays in argument order");
  }
  driver::ReferenceResult rr;
  {
    py::gil_scoped_release release;
    rr = driver::runReference(graphIR, host);
  }
  if (!rr.ok)
    throw std::runtime_error("reference interpreter failed:\n" +
                             rr.diagnostics);
  py::dict out;
  for (const driver::HostTensor &h : rr.outputs)
    out[py::str(h.name)] = bytesToArray(h.bytes, h.dtype, h.shape);
  return out;
}

} // namespace

PYBIND11_MODULE(_dojo, m) {
  m.doc() = "Dojo compiler and simulator (native module; use the `dojo` "
            "package)";

  compileErrorType() = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc("_dojo.CompileError",
                                "MLIR parsing or compilation failed; "
                                "`diagnostics` holds the located messages.",
                                PyExc_Exception, nullptr));
  m.attr("CompileError") = compileErrorType();
  simulationErrorType() = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc("_dojo.SimulationError",
                                "The simulator stopped on a fault; `kind` "
                                "names it and `code` is dojo-run's exit code.",
                                PyExc_Exception, nullptr));
  m.attr("SimulationError") = simulationErrorType();

  py::class_<CompiledProgram>(m, "CompiledProgram")
      .def("asm", &CompiledProgram::asm_, "Assembly text of the program")
      .def("binary", &CompiledProgram::binary, "Binary program file bytes")
      .def(
          "save",
          [](const CompiledProgram &p, py::object path, bool binary) {
            p.save(py::str(py::module_::import("os").attr("fspath")(path)),
                   binary);
          },
          py::arg("path"), py::arg("binary") = true,
           "Writes the program file (binary .dojo or assembly .s)")
      .def("mlir", &CompiledProgram::mlir,
           "Graph-level IR (after convert-linalg-to-dojo)")
      .def("stages", &CompiledProgram::stages,
           "IR after each pass, by pass name (compile with keep_stages=True)")
      .def("symbols", &CompiledProgram::symbols,
           "Input and output symbols: name, kind, dtype, shape, dram_offset")
      .def("input_names", &CompiledProgram::inputNames)
      .def("output_names", &CompiledProgram::outputNames)
      .def_property_readonly("target", &CompiledProgram::target)
      .def_property_readonly("diagnostics", &CompiledProgram::diagnostics)
      .def("run", &CompiledProgram::run, py::arg("inputs"),
           py::arg("max_instructions") = 0,
           "Simulates the program: returns (outputs dict, stats dict)")
      .def("reference", &CompiledProgram::reference, py::arg("inputs"),
           "Runs the reference interpreter on the graph-level IR");

  m.def("compile", &compile, py::arg("mlir_text"), py::arg("target") = "d1",
        py::arg("source_name") = "<python>", py::arg("keep_stages") = false,
        py::arg("pass_options") = "", py::arg("graph_only") = false,
        "Compiles linalg/dojo MLIR text with dojo-pipeline for a target "
        "(graph_only: stop at the graph level, no program)");
  m.def("run_reference", &runReference, py::arg("graph_ir"),
        py::arg("inputs"),
        "Runs the reference interpreter on graph-level IR text");
  m.def("load_program", &loadProgram, py::arg("path"),
        "Reads a program file (binary or assembly)");
}
