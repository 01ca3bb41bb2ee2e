//===- SimTestUtil.h - Helpers shared by the simulator tests ----*- C++ -*-===//

#ifndef DOJO_UNITTESTS_SIMTESTUTIL_H
#define DOJO_UNITTESTS_SIMTESTUTIL_H

#include "dojo/ISA/Program.h"
#include "dojo/Sim/Simulator.h"
#include "dojo/Target/MachineDesc.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos)             \
      << "'" << (haystack) << "' does not contain '" << (needle) << "'"

namespace dojo::testutil {

/// Assembles `text`; a failure is reported and yields an empty program.
inline isa::Program assemble(const std::string &text) {
  absl::StatusOr<isa::Program> p = isa::readAssembly(text);
  if (!p.ok()) {
    ADD_FAILURE() << p.status() << "\n" << text;
    return isa::Program();
  }
  return *p;
}

/// Parses a machine description's text form (a failure is reported).
inline MachineDesc target(const std::string &text) {
  MachineDesc m;
  std::string err;
  EXPECT_TRUE(MachineDesc::parse(text, m, err)) << err;
  return m;
}

inline uint64_t cdiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

template <class T> std::vector<uint8_t> bytesOf(const std::vector<T> &v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty())
    std::memcpy(b.data(), v.data(), b.size());
  return b;
}
template <class T> std::vector<T> valuesOf(const std::vector<uint8_t> &b) {
  std::vector<T> v(b.size() / sizeof(T));
  if (!v.empty())
    std::memcpy(v.data(), b.data(), v.size() * sizeof(T));
  return v;
}

/// Bytes of symbol `name` after a run (a failure is reported).
inline std::vector<uint8_t> output(sim::Simulator &sim,
                                   const std::string &name) {
  absl::StatusOr<std::vector<uint8_t>> b = sim.getSymbol(name);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : std::vector<uint8_t>();
}

} // namespace dojo::testutil

#endif // DOJO_UNITTESTS_SIMTESTUTIL_H
