//===- ProgramTest.cpp - Program files: binary, assembly, validation ------===//

#include "dojo/ISA/Program.h"

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

#include <cstdio>
#include <cstring>
#include <random>
#include <unistd.h>

using namespace dojo;
using namespace dojo::isa;

namespace {

Instruction inst(const std::string &text) {
  Instruction i;
  std::string err;
  EXPECT_TRUE(parse(text, i, err)) << text << ": " << err;
  return i;
}

/// A program that exercises every part of both formats.
Program sampleProgram() {
  Program p;
  std::string err;
  EXPECT_TRUE(
      MachineDesc::parse("small noc_link_bpc=32 disabled=3:3", p.target, err))
      << err;
  p.sections.push_back({
      inst("csrr r1, csr=coreid"),
      inst("li r2, value=0"),
      inst("addi r2, r2, imm=1"),
      inst("blt r2, r1, target=2"),
      inst("dma.ld r3, r4, rows=2, bytes=64, dstride=64, sstride=128, sem=1"),
      inst("sem.wait sem=1, count=1"),
      inst("mm r5, r6, r7, m=8, n=8, k=4, ldc=8, lda=4, ldb=8, acc=1, "
           "dt=bf16"),
      inst("barrier"),
      inst("halt"),
  });
  p.sections.push_back({
      inst("vfill r1, rows=2, cols=3, ldd=4, dtd=bf16, bits=1065353216"),
      inst("jmp target=2"),
      inst("halt"),
  });
  p.cores = {{0, 0, 0}, {0, 1, 0}, {2, 3, 1}};
  p.dramBytes = 4096;
  Symbol x;
  x.name = "x";
  x.dtype = num::DType::BF16;
  x.shape = {4, 8};
  x.dramOffset = 0;
  Symbol y;
  y.name = "weird name;\"quoted\"\n";
  y.isOutput = true;
  y.dtype = num::DType::F32;
  y.shape = {2, 0, 3};
  y.dramOffset = 1024;
  Symbol s;
  s.name = "scale";
  s.dtype = num::DType::I8;
  s.dramOffset = 2000; // rank 0: one element
  p.symbols = {x, y, s};
  p.data.push_back({512, {0x00, 0xff, 0x10, 0xab}});
  p.data.push_back({3000, {}});
  p.data.push_back({4000, std::vector<uint8_t>(96, 0x5a)});
  p.debug = {{0, 4, "model.mlir:12:3"},
             {0, 6, "fused[\"a.mlir\":1:2, \"b.mlir\":3:4] ; not a comment"},
             {0, 6, "second location for the same pc"},
             {1, 0, "tab\there\\"}};
  EXPECT_TRUE(p.validate().ok()) << p.validate();
  return p;
}

Program tinyProgram() {
  Program p;
  MachineDesc::getPreset("tiny", p.target);
  p.sections.push_back({inst("li r1, value=3"), inst("halt")});
  p.cores = {{0, 0, 0}};
  p.dramBytes = 64;
  return p;
}

std::string errorOf(const Program &p) {
  absl::Status st = p.validate();
  EXPECT_FALSE(st.ok());
  return std::string(st.message());
}

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos)             \
      << "'" << (haystack) << "' does not contain '" << (needle) << "'"

TEST(Program, SymbolSizes) {
  Symbol s;
  s.shape = {3, 4};
  s.dtype = num::DType::BF16;
  EXPECT_EQ(s.numElements(), 12);
  EXPECT_EQ(s.numBytes(), 24);
  s.shape = {};
  EXPECT_EQ(s.numElements(), 1);
  s.shape = {5, 0};
  EXPECT_EQ(s.numElements(), 0);
  s.shape = {-1, 4};
  EXPECT_EQ(s.numElements(), -1);
  s.shape = {int64_t(1) << 40, int64_t(1) << 40};
  EXPECT_EQ(s.numElements(), -1);
}

TEST(Program, BinaryRoundTrip) {
  Program p = sampleProgram();
  std::vector<uint8_t> bin = writeBinary(p);
  ASSERT_GE(bin.size(), 32u);
  EXPECT_EQ(std::memcmp(bin.data(), "DOJOPRG1", 8), 0);
  absl::StatusOr<Program> back = readBinary(bin.data(), bin.size());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, p);
  EXPECT_EQ(writeBinary(*back), bin);
  EXPECT_EQ(back->locationOf(0, 4), "model.mlir:12:3");
  EXPECT_EQ(back->locationOf(1, 1), "");
  ASSERT_NE(back->findSymbol("scale"), nullptr);
  EXPECT_EQ(back->findSymbol("scale")->numBytes(), 1);
  EXPECT_EQ(back->findSymbol("nope"), nullptr);
}

TEST(Program, AssemblyRoundTrip) {
  Program p = sampleProgram();
  std::string text = writeAssembly(p);
  absl::StatusOr<Program> back = readAssembly(text);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << text;
  EXPECT_EQ(*back, p);
  EXPECT_EQ(writeAssembly(*back), text);
  // Binary -> assembly -> binary.
  std::vector<uint8_t> bin = writeBinary(p);
  absl::StatusOr<Program> fromBin = readBinary(bin.data(), bin.size());
  ASSERT_TRUE(fromBin.ok());
  absl::StatusOr<Program> again = readAssembly(writeAssembly(*fromBin));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(writeBinary(*again), bin);
}

TEST(Program, DebugTableOrderIsNotSignificant) {
  Program p = sampleProgram(), q = p;
  std::swap(q.debug[0], q.debug[3]);
  EXPECT_EQ(p, q);
  std::swap(q.debug[1], q.debug[2]); // same pc: order among them matters
  EXPECT_FALSE(p == q);
}

TEST(Program, SymbolsOfEveryDType) {
  std::string text = ".target tiny\n.dram 64\n";
  for (int t = 0; t < num::kNumDTypes; ++t)
    text += absl::StrFormat(".input s%d %s 2 @%d\n", t,
                            num::dtypeName(num::DType(t)), 8 * t);
  text += ".core 0 0 section=0\n.section 0\n  halt\n";
  absl::StatusOr<Program> p = readAssembly(text);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->symbols.size(), size_t(num::kNumDTypes));
  for (int t = 0; t < num::kNumDTypes; ++t) {
    EXPECT_EQ(p->symbols[t].dtype, num::DType(t));
    EXPECT_EQ(p->symbols[t].numBytes(), 2 * num::dtypeBytes(num::DType(t)));
  }
  std::vector<uint8_t> bin = writeBinary(*p);
  absl::StatusOr<Program> back = readBinary(bin.data(), bin.size());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, *p);
  Program bad = *p;
  bad.symbols[0].dtype = static_cast<num::DType>(num::kNumDTypes);
  EXPECT_EQ(std::string(bad.validate().message()),
            "symbol 's0' has invalid dtype 8");
  absl::StatusOr<Program> f16 = readAssembly(
      ".target tiny\n.input x f16 2 @0\n.core 0 0 section=0\n.section 0\n"
      "  halt\n");
  ASSERT_FALSE(f16.ok());
  EXPECT_NE(std::string(f16.status().message()).find("cfp8_152, cfp16 or i16"),
            std::string::npos);
}

TEST(Program, AssemblyWithLabels) {
  const char *text = R"(; sum 1..10
.target tiny
.dram 64
.output sum i32 2 @0
.core 0 0 section=0
.core 1 1 section=0

.section 0
        li r1, value=0        ; acc
        li r2, value=1
loop:   add r1, r1, r2
        addi r2, r2, imm=1
        li r3, value=11
.loc "sum.mlir:3:5"
        blt r2, r3, target=@loop
        jmp target=@done
done:
.L.end$1:
        halt
)";
  absl::StatusOr<Program> p = readAssembly(text);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->sections.size(), 1u);
  const auto &code = p->sections[0];
  ASSERT_EQ(code.size(), 8u);
  EXPECT_EQ(code[5].op, Opcode::Blt);
  EXPECT_EQ(code[5].imm("target"), 2);
  EXPECT_EQ(code[6].imm("target"), 7);
  EXPECT_EQ(p->locationOf(0, 5), "sum.mlir:3:5");
  EXPECT_EQ(p->cores.size(), 2u);
  EXPECT_EQ(p->cores[1].row, 1);
  ASSERT_EQ(p->symbols.size(), 1u);
  EXPECT_TRUE(p->symbols[0].isOutput);
  EXPECT_EQ(p->symbols[0].shape, std::vector<int64_t>{2});
  // Labels are local to their section.
  const char *two = R"(.target tiny
.core 0 0 section=1
.section 1
a: jmp target=@a
.section 0
a: halt
)";
  absl::StatusOr<Program> q = readAssembly(two);
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->sections.size(), 2u);
  EXPECT_EQ(q->sections[1][0].op, Opcode::Jmp);
  EXPECT_EQ(q->sections[0][0].op, Opcode::Halt);
}

TEST(Program, AssemblyErrorsCarryLineNumbers) {
  auto fails = [](const std::string &text, const std::string &want) {
    absl::StatusOr<Program> p = readAssembly(text);
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_CONTAINS(p.status().message(), want);
  };
  const std::string head = ".target tiny\n.dram 64\n.core 0 0 section=0\n";
  fails(head + ".section 0\n  li r1, value=1\n  foo r1\n  halt\n",
        "line 6: unknown mnemonic 'foo'");
  fails(head + ".section 0\n  jmp target=@nowhere\n",
        "line 5: undefined label 'nowhere'");
  fails(head + ".section 0\nx:\nx: halt\n",
        "line 6: label 'x' is defined twice in section 0");
  fails(head + "  halt\n", "line 4: instruction outside a '.section'");
  fails(head + ".bogus 1\n", "line 4: unknown directive '.bogus'");
  fails(head + ".section 0\n  halt\n.loc \"a.mlir:1:1\"\n",
        "line 6: '.loc' is not followed by an instruction");
  fails(head + ".section 0\n  halt\n.section 0\n  halt\n",
        "line 6: section 0 defined twice");
  fails(".target tiny\n.core 0 0 section=0\n.section 1\n  halt\n",
        "section 0 is missing");
  fails(".dram 64\n.core 0 0 section=0\n.section 0\n halt\n",
        "missing '.target'");
  fails(".target nosuch\n", "line 1: bad machine description: unknown preset");
  fails(".target tiny\n.target tiny\n", "line 2: '.target' given twice");
  fails(head + ".dram 12\n", "line 4: '.dram' given twice");
  fails(".target tiny\n.dram -5\n", "line 2: bad edge memory size '-5'");
  fails(head + ".input x f64 4 @0\n", "line 4: unknown dtype 'f64'");
  fails(head + ".input x f32 4xx2 @0\n", "line 4: bad dimension");
  fails(head + ".input x f32 4x @0\n", "line 4: bad shape");
  fails(head + ".input x f32 4 0\n", "line 4: expected @<offset>");
  fails(head + ".input x f32 4\n", "line 4: '.input' expects");
  fails(head + ".data @0 abc\n", "line 4: odd number of hex digits");
  fails(head + ".data @0 zz\n", "line 4: bad hex digit");
  fails(head + ".core 1 x section=0\n", "line 4: bad core coordinates");
  fails(head + ".core 1 1 sect=0\n", "line 4: expected section=<n>");
  fails(head + ".section 0\n.loc \"unterminated\n", "line 5: unterminated");
  fails(head + ".section 0\n  halt\n.input \"a\\q\" f32 1 @0\n",
        "line 6: bad escape");
  fails(head + ".section 0\n  li r1, value=1, imm=2\n",
        "line 5: 'li' takes 1 register(s) and 1 immediate(s)");
  // Validation runs after parsing.
  fails(head + ".section 0\n  jmp target=5\n", "branch target 5 is outside");
  fails(".target tiny\n.dram 64\n.core 0 0 section=0\n.core 0 0 section=0\n"
        ".section 0\n halt\n",
        "core 1 at (0,0) repeats core 0");
  // CRLF line endings are fine.
  absl::StatusOr<Program> ok =
      readAssembly(".target tiny\r\n.core 0 0 section=0\r\n.section 0\r\n"
                   "  halt ; done\r\n");
  EXPECT_TRUE(ok.ok()) << ok.status();
}

TEST(Program, Validate) {
  EXPECT_TRUE(tinyProgram().validate().ok());
  {
    Program p = tinyProgram();
    p.cores.clear();
    EXPECT_EQ(errorOf(p), "program has no cores");
  }
  {
    Program p = tinyProgram();
    p.cores = {{0, 0, 0}, {0, 1, 0}, {1, 0, 0}, {1, 1, 0}, {2, 0, 0}};
    EXPECT_EQ(errorOf(p), "program needs 5 cores but target 'tiny' has 4 "
                          "enabled");
  }
  {
    Program p = tinyProgram();
    p.cores = {{0, 0, 0}, {2, 0, 0}};
    EXPECT_EQ(errorOf(p), "core 1 at (2,0) is outside the 2x2 mesh");
    p.cores = {{-1, 0, 0}};
    EXPECT_CONTAINS(errorOf(p), "outside");
  }
  {
    Program p = tinyProgram();
    MachineDesc::getPreset("d1", p.target);
    p.cores = {{0, 0, 0}, {0, 19, 0}};
    EXPECT_EQ(errorOf(p), "core 1 at (0,19) is disabled on target 'd1'");
  }
  {
    Program p = tinyProgram();
    p.cores = {{0, 0, 0}, {1, 1, 0}, {0, 0, 0}};
    EXPECT_EQ(errorOf(p), "core 2 at (0,0) repeats core 0");
  }
  {
    Program p = tinyProgram();
    p.cores = {{0, 0, 1}};
    EXPECT_CONTAINS(errorOf(p), "core 0 runs code section 1 but the program "
                                "has 1 code section(s)");
  }
  {
    Program p = tinyProgram();
    p.sections.push_back({});
    EXPECT_EQ(errorOf(p), "code section 1 is empty");
  }
  {
    Program p = tinyProgram();
    p.sections[0].insert(p.sections[0].begin(), inst("beq r1, r2, target=2"));
    EXPECT_TRUE(p.validate().ok());
    p.sections[0][0].setImm("target", 3);
    EXPECT_CONTAINS(errorOf(p), "code section 0 pc 0 `beq r1, r2, target=3`: "
                                "branch target 3 is outside the section (3 "
                                "instructions)");
    p.sections[0][0].setImm("target", -1);
    EXPECT_CONTAINS(errorOf(p), "branch target -1");
  }
  {
    Program p = tinyProgram();
    p.sections[0][0].regs[0] = 40; // not encodable
    EXPECT_CONTAINS(errorOf(p), "code section 0 pc 0: register r40 out of "
                                "range");
    p = tinyProgram();
    p.sections[0][1].imms[3] = 9; // halt has no immediates
    EXPECT_CONTAINS(errorOf(p), "unused immediate field 3");
  }
  {
    Program p = tinyProgram();
    Symbol s;
    s.name = "x";
    s.shape = {4, 4};
    s.dramOffset = 8; // 64 bytes at 8: one past the end
    p.symbols = {s};
    EXPECT_EQ(errorOf(p), "symbol 'x' [8, +64 bytes) exceeds edge memory "
                          "(dramBytes 64)");
    p.symbols[0].dramOffset = 0;
    EXPECT_TRUE(p.validate().ok());
    p.symbols[0].dramOffset = ~uint64_t(0) - 8; // would wrap around
    EXPECT_CONTAINS(errorOf(p), "exceeds edge memory");
    p.symbols[0].dramOffset = 0;
    p.symbols[0].shape = {4, -4};
    EXPECT_EQ(errorOf(p), "symbol 'x' has negative dimension -4");
    p.symbols[0].shape = {int64_t(1) << 62, 4};
    EXPECT_EQ(errorOf(p), "symbol 'x' is too large");
    p.symbols[0].shape = {2};
    p.symbols.push_back(p.symbols[0]);
    EXPECT_EQ(errorOf(p), "duplicate symbol 'x'");
    p.symbols.pop_back();
    p.symbols[0].name = "";
    EXPECT_EQ(errorOf(p), "symbol 0 has an empty name");
  }
  {
    Program p = tinyProgram();
    p.data.push_back({60, {1, 2, 3, 4}});
    EXPECT_TRUE(p.validate().ok());
    p.data.push_back({61, {1, 2, 3, 4}});
    EXPECT_EQ(errorOf(p), "data segment 1 [61, +4 bytes) exceeds edge memory "
                          "(dramBytes 64)");
  }
  {
    Program p = tinyProgram();
    p.debug.push_back({0, 2, "x.mlir:1:1"});
    EXPECT_CONTAINS(errorOf(p), "debug line 'x.mlir:1:1' refers to code "
                                "section 0 pc 2");
  }
  {
    Program p = tinyProgram();
    p.dramBytes = uint64_t(1) << 50;
    EXPECT_CONTAINS(errorOf(p), "exceeds the limit");
  }
  {
    Program p = tinyProgram();
    p.target.rows = 0;
    EXPECT_CONTAINS(errorOf(p), "target: 'rows' must be at least 1");
  }
}

//===----------------------------------------------------------------------===//
// Corrupt binaries
//===----------------------------------------------------------------------===//

uint64_t getLE(const std::vector<uint8_t> &b, size_t at, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i)
    v |= uint64_t(b[at + i]) << (8 * i);
  return v;
}
void putLE(std::vector<uint8_t> &b, size_t at, int n, uint64_t v) {
  for (int i = 0; i < n; ++i)
    b[at + i] = uint8_t(v >> (8 * i));
}
constexpr size_t kEntry = 24;
size_t entryAt(size_t i) { return 32 + i * kEntry; }
/// Index of the first section table entry of `kind`.
size_t findSection(const std::vector<uint8_t> &b, uint32_t kind) {
  uint32_t n = uint32_t(getLE(b, 12, 4));
  for (size_t i = 0; i < n; ++i)
    if (getLE(b, entryAt(i), 4) == kind)
      return i;
  ADD_FAILURE() << "no section of kind " << kind;
  return 0;
}

std::string readError(const std::vector<uint8_t> &b) {
  absl::StatusOr<Program> p = readBinary(b.data(), b.size());
  EXPECT_FALSE(p.ok());
  if (p.ok())
    return "";
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(p.status().message());
}

TEST(ProgramBinary, CorruptHeader) {
  std::vector<uint8_t> good = writeBinary(sampleProgram());
  std::vector<uint8_t> b(good.begin(), good.begin() + 20);
  EXPECT_EQ(readError(b), "program file: truncated header (20 bytes, need 32)");
  EXPECT_CONTAINS(readError({}), "truncated header (0 bytes");
  b = good;
  b[3] = 'X';
  EXPECT_CONTAINS(readError(b), "program file: bad magic");
  b = good;
  putLE(b, 8, 4, 2);
  EXPECT_EQ(readError(b), "program file: unsupported version 2 (expected 1)");
  b = good;
  putLE(b, 16, 8, 5);
  EXPECT_CONTAINS(readError(b), "reserved header field");
  b = good;
  b.push_back(0);
  EXPECT_CONTAINS(readError(b), "header says the file has");
  b = good;
  b.pop_back();
  EXPECT_CONTAINS(readError(b), "header says the file has");
  b = good;
  putLE(b, 12, 4, 0xffffffffu);
  EXPECT_CONTAINS(readError(b), "section table of 4294967295 entries");
}

TEST(ProgramBinary, CorruptSectionTable) {
  std::vector<uint8_t> good = writeBinary(sampleProgram());
  size_t code = findSection(good, 2);
  std::vector<uint8_t> b = good;
  putLE(b, entryAt(code) + 8, 8, good.size() + 16);
  EXPECT_CONTAINS(readError(b),
                  absl::StrFormat("program file: section %d (CODE) offset "
                                  "0x%x + size",
                                  code, good.size() + 16));
  EXPECT_CONTAINS(readError(b), "exceeds file size");
  b = good;
  putLE(b, entryAt(code) + 16, 8, ~uint64_t(0)); // size wraps around
  EXPECT_CONTAINS(readError(b), "exceeds file size");
  b = good;
  putLE(b, entryAt(code) + 8, 8, 8); // points into the header
  EXPECT_CONTAINS(readError(b), "overlaps the header");
  b = good;
  putLE(b, entryAt(0), 4, 99);
  EXPECT_EQ(readError(b), "program file: section 0 has unknown kind 99");
  b = good;
  putLE(b, entryAt(0) + 4, 4, 1);
  EXPECT_CONTAINS(readError(b), "reserved field is not 0");
  // Two entries pointing at the same bytes.
  b = good;
  size_t mem = findSection(good, 4);
  putLE(b, entryAt(mem) + 8, 8, getLE(good, entryAt(code) + 8, 8));
  EXPECT_CONTAINS(readError(b), "overlaps section");
  // Required sections.
  b = good;
  putLE(b, entryAt(findSection(good, 1)), 4, 7); // TARGET -> second DEBUG
  EXPECT_EQ(readError(b), absl::StrFormat("program file: section %d (DEBUG) "
                                          "is repeated; only one is allowed",
                                          findSection(good, 7)));
  b = good;
  putLE(b, entryAt(mem), 4, 6); // MEMORY becomes a (bad) DATA section
  EXPECT_EQ(readError(b), "program file: missing required MEMORY section");
}

TEST(ProgramBinary, CorruptPayloads) {
  Program p = sampleProgram();
  std::vector<uint8_t> good = writeBinary(p);
  size_t code = findSection(good, 2);
  size_t codeOff = getLE(good, entryAt(code) + 8, 8);
  // Huge instruction count: rejected before allocating.
  std::vector<uint8_t> b = good;
  putLE(b, codeOff, 4, 0xffffffffu);
  EXPECT_CONTAINS(readError(b),
                  absl::StrFormat("section %d (CODE): instruction count "
                                  "4294967295 needs at least 40 bytes",
                                  code));
  b = good;
  putLE(b, codeOff, 4, 3);
  EXPECT_CONTAINS(readError(b), "instruction count 3 needs 120 bytes but the "
                                "section holds 360");
  // Undecodable instruction: named by code section and pc.
  b = good;
  b[codeOff + 4 + 40 * 1] = 0xff;
  EXPECT_EQ(readError(b),
            absl::StrFormat("program file: section %d (CODE): code section 0 "
                            "pc 1: unknown opcode 0xff",
                            code));
  b = good;
  b[codeOff + 4 + 40 * 2 + 2] = 77; // register field
  EXPECT_CONTAINS(readError(b), "code section 0 pc 2: register r77 out of "
                                "range in 'addi'");
  // Symbols: huge counts, ranks and name lengths.
  size_t sym = findSection(good, 5);
  size_t symOff = getLE(good, entryAt(sym) + 8, 8);
  b = good;
  putLE(b, symOff, 4, 0x7fffffff);
  EXPECT_CONTAINS(readError(b), "symbol count 2147483647 needs at least");
  b = good;
  putLE(b, symOff + 4 + 2, 2, 0xffff); // rank of the first symbol
  EXPECT_CONTAINS(readError(b), "symbol rank 65535 needs at least 8 bytes");
  b = good;
  putLE(b, symOff + 4 + 4, 4, 0xfffffff0u); // name length
  EXPECT_CONTAINS(readError(b), "truncated: symbol name needs 4294967280");
  b = good;
  b[symOff + 4 + 1] = 9; // dtype
  EXPECT_CONTAINS(readError(b), "symbol 0: unknown dtype 9");
  b = good;
  b[symOff + 4] = 2; // output flag
  EXPECT_CONTAINS(readError(b), "bad output flag 2");
  // Cores: out-of-mesh core found by validate().
  size_t cores = findSection(good, 3);
  size_t coresOff = getLE(good, entryAt(cores) + 8, 8);
  b = good;
  putLE(b, coresOff + 4, 4, 0xffffffffu); // row -1
  EXPECT_EQ(readError(b), "program file: core 0 at (-1,0) is outside the 4x4 "
                          "mesh");
  b = good;
  putLE(b, coresOff, 4, 1000);
  EXPECT_CONTAINS(readError(b), "core count 1000 needs at least 12 bytes");
  // Target text.
  size_t tgt = findSection(good, 1);
  size_t tgtOff = getLE(good, entryAt(tgt) + 8, 8);
  b = good;
  b[tgtOff] = 'X';
  EXPECT_CONTAINS(readError(b), "section 0 (TARGET): bad machine description");
  // Data size disagreeing with the section.
  size_t data = findSection(good, 6);
  size_t dataOff = getLE(good, entryAt(data) + 8, 8);
  b = good;
  putLE(b, dataOff + 8, 8, 1u << 30);
  EXPECT_CONTAINS(readError(b), "data size 1073741824 does not match the 4 "
                                "payload byte(s)");
  // Debug lines must point at instructions.
  size_t dbg = findSection(good, 7);
  size_t dbgOff = getLE(good, entryAt(dbg) + 8, 8);
  b = good;
  putLE(b, dbgOff + 4 + 4, 4, 500);
  EXPECT_CONTAINS(readError(b), "refers to code section 0 pc 500");
  // Memory section.
  size_t mem = findSection(good, 4);
  size_t memOff = getLE(good, entryAt(mem) + 8, 8);
  b = good;
  putLE(b, memOff, 8, 16);
  EXPECT_CONTAINS(readError(b), "exceeds edge memory (dramBytes 16)");
}

TEST(ProgramBinary, MissingSections) {
  Program p = tinyProgram();
  std::vector<uint8_t> good = writeBinary(p);
  for (uint32_t kind : {1u, 2u, 3u, 4u}) {
    std::vector<uint8_t> b = good;
    // Turn the section into an (empty-ish) extra DEBUG section... which is
    // then repeated or malformed; instead drop it by shrinking the table.
    size_t idx = findSection(b, kind);
    uint32_t n = uint32_t(getLE(b, 12, 4));
    // Move the last entry into its place and forget the last one; the file
    // keeps its bytes, so point the dropped entry nowhere by swapping.
    std::vector<uint8_t> last(b.begin() + entryAt(n - 1),
                              b.begin() + entryAt(n));
    std::copy(last.begin(), last.end(), b.begin() + entryAt(idx));
    // The table shrinks by one entry: the first payload is still after it.
    putLE(b, 12, 4, n - 1);
    const char *names[] = {"", "TARGET", "CODE", "CORES", "MEMORY"};
    EXPECT_EQ(readError(b), std::string("program file: missing required ") +
                                names[kind] + " section");
  }
}

/// Random truncations and bit flips must give an error or a valid program,
/// never a crash, hang or huge allocation.
TEST(ProgramBinary, FuzzMutations) {
  std::vector<uint8_t> good = writeBinary(sampleProgram());
  std::mt19937_64 rng(12345);
  int accepted = 0, rejected = 0;
  for (int iter = 0; iter < 6000; ++iter) {
    std::vector<uint8_t> b = good;
    switch (iter % 4) {
    case 0:
      b.resize(rng() % b.size());
      break;
    case 1: {
      int flips = 1 + int(rng() % 4);
      for (int f = 0; f < flips; ++f)
        b[rng() % b.size()] ^= uint8_t(1u << (rng() % 8));
      break;
    }
    case 2: { // random bytes anywhere, fixing up the size field sometimes
      int n = 1 + int(rng() % 8);
      for (int f = 0; f < n; ++f)
        b[rng() % b.size()] = uint8_t(rng());
      break;
    }
    case 3: { // target the header and section table
      size_t end = std::min<size_t>(b.size(), 32 + 24 * 8);
      b[rng() % end] = uint8_t(rng());
      if (rng() % 2)
        putLE(b, 24, 8, b.size());
      break;
    }
    }
    absl::StatusOr<Program> p = readBinary(b.data(), b.size());
    if (p.ok()) {
      ++accepted;
      EXPECT_TRUE(p->validate().ok());
      std::vector<uint8_t> again = writeBinary(*p);
      absl::StatusOr<Program> q = readBinary(again.data(), again.size());
      ASSERT_TRUE(q.ok()) << q.status();
      EXPECT_EQ(*q, *p);
    } else {
      ++rejected;
      EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(std::string(p.status().message()).rfind("program file: ", 0),
                0u)
          << p.status();
    }
  }
  EXPECT_GT(rejected, 4000);
  // Flips in immediates, data and debug text are legal programs.
  EXPECT_GT(accepted, 50);
}

/// Same for assembly text: random edits never crash the parser.
TEST(ProgramAssembly, FuzzMutations) {
  std::string good = writeAssembly(sampleProgram());
  std::mt19937_64 rng(777);
  const char alphabet[] = " \n\t;:@.\"\\x0123456789abcrl=,-";
  for (int iter = 0; iter < 3000; ++iter) {
    std::string t = good;
    int edits = 1 + int(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = rng() % t.size();
      switch (rng() % 3) {
      case 0:
        t[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
        break;
      case 1:
        t.erase(at, 1 + rng() % 8);
        break;
      case 2:
        t.insert(at, 1, alphabet[rng() % (sizeof(alphabet) - 1)]);
        break;
      }
      if (t.empty())
        t = "x";
    }
    absl::StatusOr<Program> p = readAssembly(t);
    if (p.ok()) {
      EXPECT_TRUE(p->validate().ok());
      absl::StatusOr<Program> q = readAssembly(writeAssembly(*p));
      ASSERT_TRUE(q.ok()) << q.status();
      EXPECT_EQ(*q, *p);
    }
  }
}

TEST(Program, Files) {
  Program p = sampleProgram();
  char dir[] = "/tmp/dojo-program-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string bin = std::string(dir) + "/p.dojo", s = std::string(dir) + "/p.s";
  ASSERT_TRUE(writeProgramFile(p, bin, true).ok());
  ASSERT_TRUE(writeProgramFile(p, s, false).ok());
  absl::StatusOr<Program> a = readProgramFile(bin);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, p);
  absl::StatusOr<Program> b = readProgramFile(s);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*b, p);
  // The format comes from the content, not the extension.
  std::string swapped = std::string(dir) + "/p.txt";
  ASSERT_TRUE(writeProgramFile(p, swapped, true).ok());
  EXPECT_TRUE(readProgramFile(swapped).ok());
  absl::StatusOr<Program> missing = readProgramFile(std::string(dir) + "/no");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  // Errors name the file.
  std::string broken = std::string(dir) + "/broken.s";
  {
    FILE *f = fopen(broken.c_str(), "w");
    fputs(".target tiny\nbogus\n", f);
    fclose(f);
  }
  absl::StatusOr<Program> e = readProgramFile(broken);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(std::string(e.status().message()),
            broken + ": line 2: instruction outside a '.section'");
  for (const std::string &f : {bin, s, swapped, broken})
    unlink(f.c_str());
  rmdir(dir);
}

} // namespace
