//===- Npy.cpp - NumPy .npy files for program inputs and outputs ----------===//

#include "dojo/Sim/Npy.h"

#include "absl/strings/str_format.h"

#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

using namespace dojo;
using namespace dojo::sim;

namespace {
constexpr char kMagic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};

/// Bytes per element of a supported little-endian descr, or 0.
int64_t itemSize(const std::string &descr) {
  if (descr == "<f4" || descr == "<i4" || descr == "<u4")
    return 4;
  if (descr == "<u2" || descr == "<i2" || descr == "<f2")
    return 2;
  if (descr == "|i1" || descr == "|u1" || descr == "<i1" || descr == "|b1")
    return 1;
  if (descr == "<f8" || descr == "<i8" || descr == "<u8")
    return 8;
  return 0;
}

std::string shapeStr(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

/// Product of dims, or -1 if negative or overflowing.
int64_t product(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return -1;
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / 8 / d)
      return -1;
    n *= d;
  }
  return n;
}

/// Minimal parser for the Python dict literal of a .npy header.
class HeaderParser {
public:
  explicit HeaderParser(const std::string &s) : s(s) {}

  absl::Status parse(NpyArray &out, bool &fortran) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    ws();
    if (!eat('{'))
      return err("expected '{'");
    while (true) {
      ws();
      if (eat('}'))
        break;
      std::string key;
      if (!str(key))
        return err("expected a quoted key");
      ws();
      if (!eat(':'))
        return err("expected ':' after '" + key + "'");
      ws();
      if (key == "descr") {
        if (!str(out.descr))
          return err("'descr' must be a string (structured dtypes are not "
                     "supported)");
        haveDescr = true;
      } else if (key == "fortran_order") {
        if (s.compare(pos, 4, "True") == 0) {
          fortran = true;
          pos += 4;
        } else if (s.compare(pos, 5, "False") == 0) {
          fortran = false;
          pos += 5;
        } else {
          return err("'fortran_order' must be True or False");
        }
        haveOrder = true;
      } else if (key == "shape") {
        if (!tuple(out.shape))
          return err("'shape' must be a tuple of non-negative integers");
        haveShape = true;
      } else {
        return err("unexpected key '" + key + "'");
      }
      ws();
      if (eat(','))
        continue;
      ws();
      if (eat('}'))
        break;
      return err("expected ',' or '}'");
    }
    if (!haveDescr || !haveOrder || !haveShape)
      return err("header lacks 'descr', 'fortran_order' or 'shape'");
    ws();
    if (pos != s.size())
      return err("trailing characters after the header dict");
    return absl::OkStatus();
  }

private:
  absl::Status err(const std::string &m) {
    return absl::InvalidArgumentError(
        absl::StrFormat("bad header at character %d: %s", pos, m));
  }
  void ws() {
    while (pos < s.size() && std::isspace((unsigned char)s[pos]))
      ++pos;
  }
  bool eat(char c) {
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool str(std::string &out) {
    if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"'))
      return false;
    char q = s[pos++];
    size_t end = s.find(q, pos);
    if (end == std::string::npos)
      return false;
    out = s.substr(pos, end - pos);
    pos = end + 1;
    return true;
  }
  bool tuple(std::vector<int64_t> &out) {
    out.clear();
    if (!eat('('))
      return false;
    while (true) {
      ws();
      if (eat(')'))
        return true;
      if (pos >= s.size() || !std::isdigit((unsigned char)s[pos]))
        return false;
      int64_t v = 0;
      while (pos < s.size() && std::isdigit((unsigned char)s[pos])) {
        int d = s[pos++] - '0';
        if (v > (std::numeric_limits<int64_t>::max() - d) / 10)
          return false;
        v = v * 10 + d;
      }
      if (pos < s.size() && s[pos] == 'L') // Python 2 longs
        ++pos;
      out.push_back(v);
      ws();
      if (eat(','))
        continue;
      ws();
      if (eat(')'))
        return true;
      return false;
    }
  }
  const std::string &s;
  size_t pos = 0;
};

std::string symbolDesc(const isa::Symbol &sym) {
  std::string s;
  for (size_t i = 0; i < sym.shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(sym.shape[i]);
  return absl::StrFormat("%s '%s' (%s %s)", sym.isOutput ? "output" : "input",
                         sym.name, num::dtypeName(sym.dtype),
                         s.empty() ? "scalar" : s);
}
} // namespace

int64_t NpyArray::numElements() const { return product(shape); }

absl::StatusOr<NpyArray> sim::parseNpy(const uint8_t *b, size_t size,
                                       const std::string &what) {
  auto bad = [&](const std::string &m) {
    return absl::InvalidArgumentError(what + ": " + m);
  };
  if (size < 10 || std::memcmp(b, kMagic, 6) != 0)
    return bad("not a .npy file (bad magic)");
  uint8_t major = b[6];
  size_t hlen, start;
  if (major == 1) {
    hlen = size_t(b[8]) | size_t(b[9]) << 8;
    start = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12)
      return bad("truncated header");
    hlen = size_t(b[8]) | size_t(b[9]) << 8 | size_t(b[10]) << 16 |
           size_t(b[11]) << 24;
    start = 12;
  } else {
    return bad(absl::StrFormat("unsupported .npy version %d.%d", major, b[7]));
  }
  if (hlen > size - start)
    return bad(absl::StrFormat("header of %d bytes exceeds the file (%d bytes)",
                               hlen, size));
  std::string header(reinterpret_cast<const char *>(b + start), hlen);
  NpyArray a;
  bool fortran = false;
  if (absl::Status st = HeaderParser(header).parse(a, fortran); !st.ok())
    return bad(std::string(st.message()));
  if (fortran)
    return bad("fortran_order True is not supported (save a C-contiguous "
               "array, e.g. numpy.ascontiguousarray)");
  int64_t item = itemSize(a.descr);
  if (item == 0)
    return bad("unsupported dtype '" + a.descr +
               "' (expected little-endian <f4, <i4, |i1 or <u2)");
  int64_t n = product(a.shape);
  if (n < 0)
    return bad("shape " + shapeStr(a.shape) + " is too large");
  size_t dataStart = start + hlen;
  uint64_t want = uint64_t(n) * uint64_t(item);
  if (size - dataStart != want)
    return bad(absl::StrFormat("shape %s of '%s' needs %d data bytes but the "
                               "file has %d",
                               shapeStr(a.shape), a.descr, want,
                               size - dataStart));
  a.data.assign(b + dataStart, b + size);
  return a;
}

absl::StatusOr<NpyArray> sim::readNpy(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f)
    return absl::NotFoundError("cannot open '" + path + "'");
  std::vector<uint8_t> content((std::istreambuf_iterator<char>(f)),
                               std::istreambuf_iterator<char>());
  return parseNpy(content.data(), content.size(), path);
}

std::vector<uint8_t> sim::encodeNpy(const NpyArray &a) {
  std::string dict =
      "{'descr': '" + a.descr +
      "', 'fortran_order': False, 'shape': " + shapeStr(a.shape) + ", }";
  // Pad with spaces so the data starts on a 64-byte boundary; end with \n.
  bool v2 = dict.size() + 1 + 10 > 65535;
  size_t pre = v2 ? 12 : 10;
  size_t total = pre + dict.size() + 1;
  size_t padded = (total + 63) / 64 * 64;
  dict.append(padded - total, ' ');
  dict += '\n';
  std::vector<uint8_t> out(kMagic, kMagic + 6);
  out.push_back(v2 ? 2 : 1);
  out.push_back(0);
  size_t h = dict.size();
  out.push_back(uint8_t(h));
  out.push_back(uint8_t(h >> 8));
  if (v2) {
    out.push_back(uint8_t(h >> 16));
    out.push_back(uint8_t(h >> 24));
  }
  out.insert(out.end(), dict.begin(), dict.end());
  out.insert(out.end(), a.data.begin(), a.data.end());
  return out;
}

absl::Status sim::writeNpy(const std::string &path, const NpyArray &a) {
  std::vector<uint8_t> b = encodeNpy(a);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f)
    return absl::PermissionDeniedError("cannot write '" + path + "'");
  f.write(reinterpret_cast<const char *>(b.data()), b.size());
  f.close();
  if (!f)
    return absl::InternalError("error writing '" + path + "'");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<uint8_t>>
sim::npyToSymbolBytes(const NpyArray &a, const isa::Symbol &sym) {
  if (a.shape != sym.shape)
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: array has shape %s, expected %s", symbolDesc(sym),
                        shapeStr(a.shape), shapeStr(sym.shape)));
  int64_t n = sym.numElements();
  if (n < 0 || a.numElements() != n)
    return absl::InvalidArgumentError(symbolDesc(sym) + ": bad shape");
  auto mismatch = [&](const char *accepted) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: array dtype '%s' does not match (expected %s)",
                        symbolDesc(sym), a.descr, accepted));
  };
  auto checkSize = [&](int64_t item) -> absl::Status {
    if (a.data.size() != uint64_t(n) * uint64_t(item))
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: array holds %d data bytes, expected %d", symbolDesc(sym),
          a.data.size(), uint64_t(n) * uint64_t(item)));
    return absl::OkStatus();
  };
  if (sym.dtype == num::DType::I32 && a.descr == "<i8") {
    // 64-bit integers (e.g. indices from PyTorch) into an int32 symbol:
    // every value must fit.
    if (absl::Status st = checkSize(8); !st.ok())
      return st;
    std::vector<uint8_t> out(size_t(n) * 4);
    for (int64_t i = 0; i < n; ++i) {
      int64_t v;
      std::memcpy(&v, a.data.data() + i * 8, 8);
      if (v < INT32_MIN || v > INT32_MAX)
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: element %d (%d) of the int64 array does not fit int32",
            symbolDesc(sym), i, v));
      int32_t w = int32_t(v);
      std::memcpy(out.data() + i * 4, &w, 4);
    }
    return out;
  }
  switch (sym.dtype) {
  case num::DType::F32:
  case num::DType::I32:
  case num::DType::I8: {
    const char *want = sym.dtype == num::DType::F32   ? "<f4"
                       : sym.dtype == num::DType::I32 ? "<i4"
                                                      : "|i1";
    bool ok =
        a.descr == want || (sym.dtype == num::DType::I8 && a.descr == "<i1");
    if (!ok)
      return mismatch(want);
    if (absl::Status st = checkSize(num::dtypeBytes(sym.dtype)); !st.ok())
      return st;
    return a.data;
  }
  case num::DType::I16:
    if (a.descr != "<i2")
      return mismatch("<i2");
    if (absl::Status st = checkSize(2); !st.ok())
      return st;
    return a.data;
  case num::DType::CFP8_143:
  case num::DType::CFP8_152:
  case num::DType::CFP16: {
    // Raw codes: their value depends on the exponent-bias CSRs of the core.
    bool wide = sym.dtype == num::DType::CFP16;
    const char *want = wide ? "<u2" : "|u1";
    if (a.descr != want && (wide || a.descr != "<u1"))
      return mismatch(wide ? "'<u2' (raw cfp16 codes)"
                           : "'|u1' (raw cfp8 codes)");
    if (absl::Status st = checkSize(wide ? 2 : 1); !st.ok())
      return st;
    return a.data;
  }
  case num::DType::BF16: {
    if (a.descr == "<u2") {
      if (absl::Status st = checkSize(2); !st.ok())
        return st;
      return a.data;
    }
    if (a.descr != "<f4")
      return mismatch("'<u2' (raw bf16 bits) or '<f4' (rounded to bf16)");
    if (absl::Status st = checkSize(4); !st.ok())
      return st;
    std::vector<uint8_t> out(size_t(n) * 2);
    for (int64_t i = 0; i < n; ++i) {
      float f;
      std::memcpy(&f, a.data.data() + 4 * i, 4);
      uint16_t h = num::f32ToBf16(f);
      std::memcpy(out.data() + 2 * i, &h, 2);
    }
    return out;
  }
  }
  return absl::InvalidArgumentError(symbolDesc(sym) + ": unknown dtype");
}

absl::StatusOr<NpyArray>
sim::symbolBytesToNpy(const std::vector<uint8_t> &bytes,
                      const isa::Symbol &sym) {
  int64_t n = sym.numElements();
  if (n < 0 || bytes.size() != uint64_t(sym.numBytes()))
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: got %d bytes, expected %d", symbolDesc(sym),
                        bytes.size(), sym.numBytes()));
  NpyArray a;
  a.shape = sym.shape;
  switch (sym.dtype) {
  case num::DType::F32:
    a.descr = "<f4";
    a.data = bytes;
    break;
  case num::DType::I32:
    a.descr = "<i4";
    a.data = bytes;
    break;
  case num::DType::I8:
    a.descr = "|i1";
    a.data = bytes;
    break;
  case num::DType::I16:
    a.descr = "<i2";
    a.data = bytes;
    break;
  case num::DType::CFP8_143:
  case num::DType::CFP8_152:
    a.descr = "|u1"; // raw codes (the bias is a core CSR)
    a.data = bytes;
    break;
  case num::DType::CFP16:
    a.descr = "<u2";
    a.data = bytes;
    break;
  case num::DType::BF16:
    a.descr = "<f4";
    a.data.resize(size_t(n) * 4);
    for (int64_t i = 0; i < n; ++i) {
      float f = num::loadAsF32(bytes.data(), num::DType::BF16, i);
      std::memcpy(a.data.data() + 4 * i, &f, 4);
    }
    break;
  }
  return a;
}

absl::StatusOr<std::vector<uint8_t>>
sim::readSymbolNpy(const std::string &path, const isa::Symbol &sym) {
  absl::StatusOr<NpyArray> a = readNpy(path);
  if (!a.ok())
    return a.status();
  absl::StatusOr<std::vector<uint8_t>> b = npyToSymbolBytes(*a, sym);
  if (!b.ok())
    return absl::Status(b.status().code(),
                        path + ": " + std::string(b.status().message()));
  return b;
}

absl::Status sim::writeSymbolNpy(const std::string &path,
                                 const isa::Symbol &sym,
                                 const std::vector<uint8_t> &bytes) {
  absl::StatusOr<NpyArray> a = symbolBytesToNpy(bytes, sym);
  if (!a.ok())
    return a.status();
  return writeNpy(path, *a);
}
