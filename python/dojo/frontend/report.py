"""Per-layer summary of graph-level IR: ops and MACs by source location."""

import re

_ALIAS = re.compile(r'^#(loc\d*) = loc\("((?:[^"\\]|\\.)*)"')
_OP = re.compile(r'=\s*(dojo\.[a-z_0-9]+)\s')
_LOC = re.compile(r'loc\((?:"((?:[^"\\]|\\.)*)"|#(loc\d*))\)\s*$')
_TENSOR = re.compile(r'tensor<([0-9x]*)(?:[a-z0-9]+)>')


def _dims(t):
    return [int(d) for d in t.split("x") if d]


def _prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


def _macs(op, line):
    tys = [_dims(m.group(1)) for m in _TENSOR.finditer(line.split(" : ")[-1])]
    if not tys:
        return 0
    out = tys[-1]
    if op == "dojo.matmul" and len(tys) >= 3:
        a = tys[0]
        k = a[0] if "transpose_lhs" in line else a[1]
        return _prod(out) * k
    if op == "dojo.batch_matmul" and len(tys) >= 3:
        a = tys[0]
        k = a[1] if "transpose_lhs" in line else a[2]
        return _prod(out) * k
    if op == "dojo.conv2d" and len(tys) >= 3:
        w = tys[1]
        per = _prod(w[1:]) if "nhwc" not in line else _prod(w[:3])
        return _prod(out) * per
    return 0


def layer_table(ir, sim_layers=None, mac_per_cycle=256):
    """Rows of the per-layer table. With `sim_layers` (the "layers" list of
    a simulator run's stats, keyed by the same source locations) each row
    also has the layer's cycles (a core's time in its instructions, mean
    over the cores that ran them), its MAC utilization on those cores and
    the SRAM its instructions addressed (per core, highest byte + 1)."""
    sim = {}
    for d in sim_layers or []:
        sim[d["loc"]] = d
    rows = _layer_rows(ir)
    if not sim_layers:
        return rows
    out = [f"{'layer':<32} {'MACs':>14} {'cycles':>10} {'util':>7} "
           f"{'SRAM B':>9}  ops"]
    for line in rows[1:-1]:
        name = line[:32].strip()
        d = sim.get(name)
        rest = line[32:].split(None, 1)
        macs = rest[0]
        ops = rest[1] if len(rest) > 1 else ""
        if d:
            cyc = d["cycles"]
            util = (100.0 * d["macs"] / (cyc * d["cores"] * mac_per_cycle)
                    if cyc and d["cores"] else 0.0)
            out.append(f"{name[:32]:<32} {macs:>14} {cyc:>10} {util:>6.1f}% "
                       f"{d['sram_high_water']:>9}  {ops}")
        else:
            out.append(f"{name[:32]:<32} {macs:>14} {'-':>10} {'-':>7} "
                       f"{'-':>9}  {ops}")
    out.append(rows[-1])
    return out


def _layer_rows(ir):
    aliases = {}
    for line in ir.splitlines():
        m = _ALIAS.match(line.strip())
        if m:
            aliases[m.group(1)] = m.group(2)
    layers = {}
    order = []
    for line in ir.splitlines():
        m = _OP.search(line)
        if not m:
            continue
        lm = _LOC.search(line)
        name = "?"
        if lm:
            name = lm.group(1) if lm.group(1) is not None else \
                aliases.get(lm.group(2), lm.group(2))
        if name not in layers:
            layers[name] = [[], 0]
            order.append(name)
        layers[name][0].append(m.group(1)[5:])
        layers[name][1] += _macs(m.group(1), line)
    rows = [f"{'layer':<32} {'MACs':>14}  ops"]
    total = 0
    for name in order:
        ops, macs = layers[name]
        total += macs
        rows.append(f"{name[:32]:<32} {macs:>14}  {' '.join(ops)}")
    rows.append(f"{'total':<32} {total:>14}")
    return rows
