//===- Noc.cpp - Network-on-chip model of the simulator -------------------===//
//
// See Noc.h and docs/isa.md section 6.3.
//===----------------------------------------------------------------------===//

#include "Noc.h"

#include "absl/strings/str_format.h"

#include <algorithm>
#include <limits>

using namespace dojo;
using namespace dojo::sim;
using namespace dojo::sim::detail;

namespace {
constexpr uint64_t kTimeCap = uint64_t(1) << 62;
const char kDirName[] = {'N', 'E', 'S', 'W'};
const int64_t kDr[] = {-1, 0, 1, 0};
const int64_t kDc[] = {0, 1, 0, -1};
} // namespace

std::string LinkStats::name() const {
  switch (kind) {
  case Mesh:
    return absl::StrFormat("(%d,%d)->(%d,%d)", row, col, row + kDr[dir & 3],
                           col + kDc[dir & 3]);
  case ToEdge:
    return absl::StrFormat("(%d,%d)->edge %c", row, col, kDirName[dir & 3]);
  case FromEdge:
    return absl::StrFormat("edge %c->(%d,%d)", kDirName[dir & 3], row, col);
  case Inject:
    return absl::StrFormat("(%d,%d) inject", row, col);
  case Eject:
    return absl::StrFormat("(%d,%d) eject", row, col);
  }
  return "?";
}

const char *LinkStats::kindName() const {
  switch (kind) {
  case Mesh:
    return "mesh";
  case ToEdge:
    return "to_edge";
  case FromEdge:
    return "from_edge";
  case Inject:
    return "inject";
  case Eject:
    return "eject";
  }
  return "?";
}

void Noc::init(const MachineDesc &m) {
  rows = m.rows;
  cols = m.cols;
  linkBpc = uint64_t(m.noc_link_bpc);
  reset();
}

void Noc::reset() {
  size_t n = size_t(rows * cols * kLinksPerRouter);
  queue.assign(n, 0);
  bytes.assign(n, 0);
}

uint64_t Noc::xyPath(int64_t r0, int64_t c0, int64_t r1, int64_t c1,
                     std::vector<uint32_t> &path) const {
  for (int64_t c = c0; c < c1; ++c)
    path.push_back(out(r0, c, East));
  for (int64_t c = c0; c > c1; --c)
    path.push_back(out(r0, c, West));
  for (int64_t r = r0; r < r1; ++r)
    path.push_back(out(r, c1, South));
  for (int64_t r = r0; r > r1; --r)
    path.push_back(out(r, c1, North));
  return uint64_t(std::llabs(r1 - r0) + std::llabs(c1 - c0));
}

int64_t Noc::edgeDistance(int64_t r, int64_t c, int dir) const {
  const int64_t dist[4] = {r, cols - 1 - c, rows - 1 - r, c};
  return dist[dir];
}

int Noc::edgeDir(int64_t r, int64_t c, unsigned mask) const {
  int dir = -1;
  for (int d = 0; d < 4; ++d)
    if ((mask >> d & 1) &&
        (dir < 0 || edgeDistance(r, c, d) < edgeDistance(r, c, dir)))
      dir = d;
  return dir;
}

uint64_t Noc::edgePath(int64_t r, int64_t c, unsigned mask, bool toEdge,
                       std::vector<uint32_t> &path) const {
  const int dir = edgeDir(r, c, mask);
  const int64_t n = edgeDistance(r, c, dir);
  const int64_t er = r + kDr[dir] * n, ec = c + kDc[dir] * n; // edge router
  if (toEdge) {
    for (int64_t i = 0; i < n; ++i)
      path.push_back(out(r + kDr[dir] * i, c + kDc[dir] * i, dir));
    path.push_back(out(er, ec, dir)); // off the mesh: the edge port
  } else {
    path.push_back(fromEdge(er, ec, dir));
    const int back = (dir + 2) & 3;
    for (int64_t i = 0; i < n; ++i)
      path.push_back(out(er - kDr[dir] * i, ec - kDc[dir] * i, back));
  }
  return uint64_t(n + 1);
}

uint64_t Noc::mcastTree(int64_t r0, int64_t c0,
                        const std::vector<CoreCoord> &dests,
                        std::vector<uint32_t> &path) const {
  const int64_t kNone = std::numeric_limits<int64_t>::max();
  std::vector<std::pair<int64_t, int64_t>> span(size_t(cols),
                                                {kNone, -kNone});
  int64_t cmin = c0, cmax = c0;
  uint64_t maxHops = 0;
  bool remote = false;
  for (const CoreCoord &d : dests) {
    if (d.row == r0 && d.col == c0)
      continue; // the source's own copy uses no link
    remote = true;
    cmin = std::min(cmin, d.col);
    cmax = std::max(cmax, d.col);
    auto &s = span[size_t(d.col)];
    s.first = std::min(s.first, d.row);
    s.second = std::max(s.second, d.row);
    maxHops = std::max<uint64_t>(
        maxHops, uint64_t(std::llabs(d.row - r0) + std::llabs(d.col - c0)));
  }
  if (!remote)
    return 0;
  path.push_back(inject(r0, c0));
  for (int64_t c = c0; c < cmax; ++c)
    path.push_back(out(r0, c, East));
  for (int64_t c = c0; c > cmin; --c)
    path.push_back(out(r0, c, West));
  for (int64_t c = cmin; c <= cmax; ++c) {
    const auto &s = span[size_t(c)];
    if (s.first == kNone)
      continue;
    for (int64_t r = r0; r < s.second; ++r)
      path.push_back(out(r, c, South));
    for (int64_t r = r0; r > s.first; --r)
      path.push_back(out(r, c, North));
  }
  for (const CoreCoord &d : dests)
    if (!(d.row == r0 && d.col == c0))
      path.push_back(eject(d.row, d.col));
  return maxHops;
}

uint64_t Noc::reserve(const std::vector<uint32_t> &links, uint64_t ready,
                      uint64_t wire, u128 *server, uint64_t serverBw,
                      uint64_t serverBytes) {
  const u128 at = u128(ready) * linkBpc;
  u128 last = at + wire; // the DMA engine moves noc_link_bpc bytes/cycle
  for (uint32_t l : links) {
    u128 q = std::max(at, queue[l]) + wire;
    queue[l] = q;
    bytes[l] += wire;
    last = std::max(last, q);
  }
  u128 t = last / linkBpc + (last % linkBpc != 0);
  if (server && serverBw) {
    u128 q = std::max(u128(ready) * serverBw, *server) + serverBytes;
    *server = q;
    t = std::max(t, q / serverBw + (q % serverBw != 0));
  }
  return t > kTimeCap ? kTimeCap : uint64_t(t);
}

std::vector<LinkStats> Noc::linkStats() const {
  std::vector<LinkStats> out;
  for (size_t id = 0; id < bytes.size(); ++id) {
    if (!bytes[id])
      continue;
    LinkStats s;
    const int64_t router = int64_t(id / kLinksPerRouter);
    const int k = int(id % kLinksPerRouter);
    s.row = router / cols;
    s.col = router % cols;
    s.bytes = bytes[id];
    if (k < 4) {
      int64_t nr = s.row + kDr[k], nc = s.col + kDc[k];
      bool onMesh = nr >= 0 && nr < rows && nc >= 0 && nc < cols;
      s.kind = onMesh ? LinkStats::Mesh : LinkStats::ToEdge;
      s.dir = k;
    } else if (k < kInject) {
      s.kind = LinkStats::FromEdge;
      s.dir = k - kFromEdge;
    } else {
      s.kind = k == kInject ? LinkStats::Inject : LinkStats::Eject;
      s.dir = -1;
    }
    out.push_back(s);
  }
  return out;
}
