//===- MachineDesc.cpp - Description of a D1-like machine -----------------===//

#include "dojo/Target/MachineDesc.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>

using namespace dojo;

namespace {
struct IntField {
  const char *key;
  int64_t MachineDesc::*member;
  int64_t minValue;
};

// Upper bound of every integer field (1 TiB of SRAM, 2^40 cycles...).
constexpr int64_t kMaxFieldValue = int64_t(1) << 40;

// Integer fields, in the order they are printed.
const IntField kIntFields[] = {
    {"rows", &MachineDesc::rows, 1},
    {"cols", &MachineDesc::cols, 1},
    {"clock_mhz", &MachineDesc::clock_mhz, 1},
    {"sram_bytes", &MachineDesc::sram_bytes, 64},
    {"sram_load_bpc", &MachineDesc::sram_load_bpc, 1},
    {"sram_store_bpc", &MachineDesc::sram_store_bpc, 1},
    {"mac_per_cycle", &MachineDesc::mac_per_cycle, 1},
    {"matrix_latency", &MachineDesc::matrix_latency, 0},
    {"simd_bytes", &MachineDesc::simd_bytes, 4},
    {"vector_latency", &MachineDesc::vector_latency, 0},
    {"scalar_latency", &MachineDesc::scalar_latency, 1},
    {"threads", &MachineDesc::threads, 1},
    {"semaphores", &MachineDesc::semaphores, 1},
    {"noc_link_bpc", &MachineDesc::noc_link_bpc, 1},
    {"noc_packet_bytes", &MachineDesc::noc_packet_bytes, 1},
    {"noc_hop_latency", &MachineDesc::noc_hop_latency, 0},
    {"dma_latency", &MachineDesc::dma_latency, 0},
    {"barrier_latency", &MachineDesc::barrier_latency, 0},
    {"edge_bpc", &MachineDesc::edge_bpc, 1},
    {"edges", &MachineDesc::edges, 1},
    {"edge_latency", &MachineDesc::edge_latency, 0},
};

bool parseInt(const std::string &s, int64_t &v) {
  if (s.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  long long x = std::strtoll(s.c_str(), &end, 0);
  if (errno != 0 || end != s.c_str() + s.size())
    return false;
  v = x;
  return true;
}

std::string disabledStr(const std::vector<CoreCoord> &d) {
  std::string out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i)
      out += ",";
    out += std::to_string(d[i].row) + ":" + std::to_string(d[i].col);
  }
  return out.empty() ? "none" : out;
}
} // namespace

std::vector<std::string> MachineDesc::presetNames() {
  return {"tiny", "small", "d1"};
}

bool MachineDesc::getPreset(const std::string &name, MachineDesc &out) {
  MachineDesc m; // defaults are the d1 per-core figures
  m.preset = name;
  if (name == "d1") {
    m.rows = 18;
    m.cols = 20;
    // Public sources do not say which cores are fused off; six spread over
    // the mesh exercise routing around holes.
    m.disabled = {{0, 19}, {4, 7}, {8, 13}, {11, 2}, {14, 16}, {17, 9}};
  } else if (name == "tiny") {
    m.rows = 2;
    m.cols = 2;
  } else if (name == "small") {
    m.rows = 4;
    m.cols = 4;
  } else {
    return false;
  }
  std::sort(m.disabled.begin(), m.disabled.end());
  out = m;
  return true;
}

bool MachineDesc::set(const std::string &key, const std::string &value,
                      std::string &error) {
  if (key == "disabled") {
    std::vector<CoreCoord> d;
    if (value != "none" && !value.empty()) {
      std::stringstream ss(value);
      std::string item;
      while (std::getline(ss, item, ',')) {
        size_t colon = item.find(':');
        CoreCoord c;
        if (colon == std::string::npos ||
            !parseInt(item.substr(0, colon), c.row) ||
            !parseInt(item.substr(colon + 1), c.col)) {
          error = "malformed disabled core '" + item + "' (expected row:col)";
          return false;
        }
        d.push_back(c);
      }
    }
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
    disabled = d;
    return true;
  }
  for (const IntField &f : kIntFields) {
    if (key != f.key)
      continue;
    int64_t v;
    if (!parseInt(value, v)) {
      error = "malformed integer '" + value + "' for '" + key + "'";
      return false;
    }
    if (v < f.minValue) {
      error = "'" + key + "' must be at least " + std::to_string(f.minValue) +
              ", got " + value;
      return false;
    }
    this->*f.member = v;
    return true;
  }
  error = "unknown machine parameter '" + key + "'";
  return false;
}

bool MachineDesc::validate(std::string &error) const {
  for (const IntField &f : kIntFields) {
    if (this->*f.member < f.minValue) {
      error = std::string("'") + f.key + "' must be at least " +
              std::to_string(f.minValue);
      return false;
    }
    // Keeps every product the compiler and simulator form from these
    // figures (addresses, cycle counts) far away from int64 overflow.
    if (this->*f.member > kMaxFieldValue) {
      error = std::string("'") + f.key + "' must be at most " +
              std::to_string(kMaxFieldValue);
      return false;
    }
  }
  if (rows > 4096 || cols > 4096) {
    error = "mesh larger than 4096x4096 is not supported";
    return false;
  }
  for (const CoreCoord &c : disabled) {
    if (c.row < 0 || c.row >= rows || c.col < 0 || c.col >= cols) {
      error = "disabled core " + std::to_string(c.row) + ":" +
              std::to_string(c.col) + " is outside the " +
              std::to_string(rows) + "x" + std::to_string(cols) + " mesh";
      return false;
    }
  }
  if (numEnabledCores() < 1) {
    error = "every core is disabled";
    return false;
  }
  return true;
}

bool MachineDesc::parse(const std::string &text, MachineDesc &out,
                        std::string &error) {
  std::stringstream ss(text);
  std::string tok;
  if (!(ss >> tok)) {
    error = "empty machine description";
    return false;
  }
  MachineDesc m;
  if (!getPreset(tok, m)) {
    error = "unknown preset '" + tok + "' (expected tiny, small or d1)";
    return false;
  }
  while (ss >> tok) {
    size_t eq = tok.find('=');
    if (eq == std::string::npos) {
      error = "expected key=value, got '" + tok + "'";
      return false;
    }
    if (!m.set(tok.substr(0, eq), tok.substr(eq + 1), error))
      return false;
  }
  if (!m.validate(error))
    return false;
  out = m;
  return true;
}

std::vector<std::pair<std::string, std::string>> MachineDesc::fields() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const IntField &f : kIntFields)
    out.emplace_back(f.key, std::to_string(this->*f.member));
  out.emplace_back("disabled", disabledStr(disabled));
  return out;
}

std::vector<std::pair<std::string, std::string>>
MachineDesc::overrides() const {
  MachineDesc base;
  if (!getPreset(preset, base))
    return fields();
  auto mine = fields(), theirs = base.fields();
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < mine.size(); ++i)
    if (mine[i].second != theirs[i].second)
      out.push_back(mine[i]);
  return out;
}

std::string MachineDesc::str() const {
  std::string s = preset;
  for (auto &kv : overrides())
    s += " " + kv.first + "=" + kv.second;
  return s;
}

bool MachineDesc::isDisabled(int64_t row, int64_t col) const {
  return std::binary_search(disabled.begin(), disabled.end(),
                            CoreCoord{row, col});
}

std::vector<CoreCoord> MachineDesc::enabledCores() const {
  std::vector<CoreCoord> out;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      if (!isDisabled(r, c))
        out.push_back({r, c});
  return out;
}

bool MachineDesc::operator==(const MachineDesc &o) const {
  return preset == o.preset && fields() == o.fields();
}
