//===- NpyTest.cpp - .npy reading and writing -----------------------------===//

#include "dojo/Sim/Npy.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <cstring>
#include <unistd.h>

using namespace dojo;
using namespace dojo::sim;

namespace {

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos)             \
      << "'" << (haystack) << "' does not contain '" << (needle) << "'"

std::vector<uint8_t> rawNpy(const std::string &dict,
                            const std::vector<uint8_t> &data, int major = 1) {
  std::string h = dict;
  size_t pre = major == 1 ? 10 : 12;
  while ((pre + h.size() + 1) % 64)
    h += ' ';
  h += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(major), 0};
  out.push_back(uint8_t(h.size()));
  out.push_back(uint8_t(h.size() >> 8));
  if (major != 1) {
    out.push_back(0);
    out.push_back(0);
  }
  out.insert(out.end(), h.begin(), h.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

isa::Symbol symbol(const std::string &name, num::DType t,
                   std::vector<int64_t> shape) {
  isa::Symbol s;
  s.name = name;
  s.dtype = t;
  s.shape = std::move(shape);
  return s;
}

TEST(Npy, EncodeParseRoundTrip) {
  NpyArray a;
  a.descr = "<f4";
  a.shape = {2, 3};
  for (int i = 0; i < 6; ++i) {
    float f = float(i) * 1.5f;
    uint8_t b[4];
    std::memcpy(b, &f, 4);
    a.data.insert(a.data.end(), b, b + 4);
  }
  std::vector<uint8_t> file = encodeNpy(a);
  // NumPy's layout: magic, version 1.0, header padded to 64 bytes.
  EXPECT_EQ(file[6], 1);
  size_t hlen = file[8] | file[9] << 8;
  EXPECT_EQ((10 + hlen) % 64, 0u);
  EXPECT_EQ(file[10 + hlen - 1], '\n');
  std::string header(file.begin() + 10, file.begin() + 10 + hlen);
  EXPECT_CONTAINS(header, "{'descr': '<f4', 'fortran_order': False, "
                          "'shape': (2, 3), }");
  absl::StatusOr<NpyArray> back = parseNpy(file.data(), file.size());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->descr, "<f4");
  EXPECT_EQ(back->shape, a.shape);
  EXPECT_EQ(back->data, a.data);
  // Scalars and 1-d shapes use Python tuple syntax.
  a.shape = {};
  a.data.resize(4);
  std::vector<uint8_t> s = encodeNpy(a);
  EXPECT_CONTAINS(std::string(s.begin(), s.end()), "'shape': (), }");
  ASSERT_TRUE(parseNpy(s.data(), s.size()).ok());
  a.shape = {1};
  s = encodeNpy(a);
  EXPECT_CONTAINS(std::string(s.begin(), s.end()), "'shape': (1,), }");
  ASSERT_TRUE(parseNpy(s.data(), s.size()).ok());
}

TEST(Npy, ParsesVariants) {
  std::vector<uint8_t> data(2 * 3 * 4, 7);
  // Double quotes, other key order, no trailing comma, version 2.0 header.
  for (int major : {1, 2, 3}) {
    std::vector<uint8_t> f = rawNpy(
        "{\"shape\": (2,3), \"fortran_order\": False, \"descr\": \"<i4\"}",
        data, major);
    absl::StatusOr<NpyArray> a = parseNpy(f.data(), f.size());
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_EQ(a->descr, "<i4");
    EXPECT_EQ(a->shape, (std::vector<int64_t>{2, 3}));
  }
  std::vector<uint8_t> f =
      rawNpy("{'descr': '|i1', 'fortran_order': False, 'shape': (0, 5), }", {});
  absl::StatusOr<NpyArray> empty = parseNpy(f.data(), f.size());
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->numElements(), 0);
}

TEST(Npy, Rejects) {
  auto fails = [](const std::vector<uint8_t> &f, const std::string &want) {
    absl::StatusOr<NpyArray> a = parseNpy(f.data(), f.size(), "t.npy");
    ASSERT_FALSE(a.ok());
    EXPECT_CONTAINS(a.status().message(), "t.npy: ");
    EXPECT_CONTAINS(a.status().message(), want);
  };
  std::vector<uint8_t> d24(24);
  fails({1, 2, 3}, "bad magic");
  fails(
      rawNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", d24),
      "fortran_order True is not supported");
  fails(rawNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }",
               d24),
        "unsupported dtype '>f4'");
  fails(rawNpy("{'descr': [('a', '<f4')], 'fortran_order': False, "
               "'shape': (2, 3), }",
               d24),
        "structured dtypes");
  fails(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }",
               d24),
        "needs 32 data bytes but the file has 24");
  fails(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }",
               d24),
        "'shape' must be a tuple");
  fails(rawNpy("{'descr': '<f4', 'shape': (2, 3), }", d24), "header lacks");
  fails(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), "
               "'extra': 1}",
               d24),
        "unexpected key 'extra'");
  fails(rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
               "(99999999999, 99999999999, 99999999999), }",
               d24),
        "too large");
  std::vector<uint8_t> f = rawNpy(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", d24);
  f[6] = 9;
  fails(f, "unsupported .npy version 9.0");
  f[6] = 1;
  f[8] = 0xff;
  f[9] = 0xff;
  fails(f, "header of 65535 bytes exceeds the file");
}

TEST(Npy, SymbolConversions) {
  // f32 symbol: only <f4.
  isa::Symbol f = symbol("x", num::DType::F32, {2, 2});
  NpyArray a;
  a.descr = "<f4";
  a.shape = {2, 2};
  a.data.assign(16, 0);
  ASSERT_TRUE(npyToSymbolBytes(a, f).ok());
  a.shape = {4};
  absl::StatusOr<std::vector<uint8_t>> r = npyToSymbolBytes(a, f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(std::string(r.status().message()),
            "input 'x' (f32 2x2): array has shape (4,), expected (2, 2)");
  a.shape = {2, 2};
  a.descr = "<i4";
  r = npyToSymbolBytes(a, f);
  ASSERT_FALSE(r.ok());
  EXPECT_CONTAINS(r.status().message(), "array dtype '<i4' does not match "
                                        "(expected <f4)");
  // bf16 symbol from <f4: rounded to nearest even.
  isa::Symbol h = symbol("w", num::DType::BF16, {3});
  NpyArray fa;
  fa.descr = "<f4";
  fa.shape = {3};
  float vals[3] = {1.0f + 1.0f / 256, 1.0f + 3.0f / 256, -2.0f};
  fa.data.resize(12);
  std::memcpy(fa.data.data(), vals, 12);
  r = npyToSymbolBytes(fa, h);
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<uint16_t> bits(3);
  std::memcpy(bits.data(), r->data(), 6);
  EXPECT_EQ(bits, (std::vector<uint16_t>{0x3f80, 0x3f82, 0xc000}));
  // bf16 symbol from raw <u2 bits.
  NpyArray ua;
  ua.descr = "<u2";
  ua.shape = {3};
  ua.data = *r;
  r = npyToSymbolBytes(ua, h);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, ua.data);
  ua.descr = "<f8";
  EXPECT_CONTAINS(npyToSymbolBytes(ua, h).status().message(),
                  "expected '<u2' (raw bf16 bits) or '<f4'");
  // bf16 outputs are written as exact <f4.
  absl::StatusOr<NpyArray> out = symbolBytesToNpy(ua.data, h);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->descr, "<f4");
  float back[3];
  std::memcpy(back, out->data.data(), 12);
  EXPECT_EQ(back[0], 1.0f);
  EXPECT_EQ(back[1], num::bf16ToF32(0x3f82));
  EXPECT_EQ(back[2], -2.0f);
  EXPECT_FALSE(symbolBytesToNpy(std::vector<uint8_t>(5), h).ok());
  // i8 and i32.
  isa::Symbol q = symbol("q", num::DType::I8, {});
  NpyArray qa;
  qa.descr = "|i1";
  qa.data = {0xfe};
  ASSERT_TRUE(npyToSymbolBytes(qa, q).ok());
  EXPECT_EQ(symbolBytesToNpy({0xfe}, q)->descr, "|i1");
  EXPECT_EQ(symbolBytesToNpy(std::vector<uint8_t>(4),
                             symbol("i", num::DType::I32, {1}))
                ->descr,
            "<i4");
}

TEST(Npy, NarrowAndConfigurableTypes) {
  // i16 <-> <i2; cfp8 <-> |u1 and cfp16 <-> <u2 raw codes (their value
  // depends on the exponent-bias CSRs of the core that reads them).
  struct Case {
    num::DType t;
    const char *descr, *other;
    size_t bytes;
  } cases[] = {{num::DType::I16, "<i2", "<u2", 2},
               {num::DType::CFP8_143, "|u1", "|i1", 1},
               {num::DType::CFP8_152, "|u1", "<f4", 1},
               {num::DType::CFP16, "<u2", "<f2", 2}};
  for (const Case &c : cases) {
    isa::Symbol s = symbol("v", c.t, {2});
    NpyArray a;
    a.descr = c.descr;
    a.shape = {2};
    a.data.resize(2 * c.bytes);
    for (size_t i = 0; i < a.data.size(); ++i)
      a.data[i] = uint8_t(0x81 + i);
    absl::StatusOr<std::vector<uint8_t>> r = npyToSymbolBytes(a, s);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(*r, a.data);
    absl::StatusOr<NpyArray> back = symbolBytesToNpy(*r, s);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->descr, c.descr);
    EXPECT_EQ(back->data, a.data);
    a.descr = c.other;
    EXPECT_CONTAINS(npyToSymbolBytes(a, s).status().message(),
                    "does not match");
  }
  isa::Symbol e = symbol("e", num::DType::CFP8_143, {1});
  NpyArray u;
  u.descr = "<u1";
  u.shape = {1};
  u.data = {0x7e};
  EXPECT_TRUE(npyToSymbolBytes(u, e).ok());
  u.data = {0x7e, 0};
  EXPECT_CONTAINS(npyToSymbolBytes(u, e).status().message(),
                  "array holds 2 data bytes, expected 1");
}

TEST(Npy, Files) {
  char dir[] = "/tmp/dojo-npy-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/a.npy";
  isa::Symbol h = symbol("w", num::DType::BF16, {2, 2});
  std::vector<uint8_t> bytes = {0x80, 0x3f, 0x00, 0x40, 0x40, 0x40, 0x80, 0xbf};
  ASSERT_TRUE(writeSymbolNpy(path, h, bytes).ok());
  absl::StatusOr<std::vector<uint8_t>> back = readSymbolNpy(path, h);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, bytes);
  absl::StatusOr<std::vector<uint8_t>> wrong =
      readSymbolNpy(path, symbol("w", num::DType::BF16, {4}));
  ASSERT_FALSE(wrong.ok());
  EXPECT_CONTAINS(wrong.status().message(), path + ": input 'w'");
  EXPECT_EQ(readNpy(std::string(dir) + "/missing.npy").status().code(),
            absl::StatusCode::kNotFound);
  unlink(path.c_str());
  rmdir(dir);
}

} // namespace

TEST(Npy, Int64IntoInt32Symbol) {
  // 64-bit integers (PyTorch indices) fill an int32 symbol when they fit.
  isa::Symbol s = symbol("ids", num::DType::I32, {3});
  NpyArray a;
  a.descr = "<i8";
  a.shape = {3};
  int64_t vals[3] = {7, -2147483648LL, 2147483647LL};
  a.data.resize(24);
  std::memcpy(a.data.data(), vals, 24);
  absl::StatusOr<std::vector<uint8_t>> r = npyToSymbolBytes(a, s);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 12u);
  int32_t got[3];
  std::memcpy(got, r->data(), 12);
  EXPECT_EQ(got[0], 7);
  EXPECT_EQ(got[1], INT32_MIN);
  EXPECT_EQ(got[2], INT32_MAX);
  // A value outside int32 is an error naming the element.
  vals[1] = int64_t(1) << 31;
  std::memcpy(a.data.data(), vals, 24);
  r = npyToSymbolBytes(a, s);
  ASSERT_FALSE(r.ok());
  EXPECT_CONTAINS(r.status().message(),
                  "element 1 (2147483648) of the int64 array does not fit "
                  "int32");
  // A short data block is an error, not a read past the end.
  a.data.resize(16);
  EXPECT_FALSE(npyToSymbolBytes(a, s).ok());
}
