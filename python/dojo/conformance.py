"""ONNX backend conformance runner over Debian's libonnx-testdata.

    PYTHONPATH=build/python /usr/bin/python3 -m dojo.conformance \\
        [--data /usr/share/libonnx-testdata/data] [--categories node,simple]
        [--update] [--docs docs/coverage.md] [--xfail FILE] [-k SUBSTR]

For every test directory (`model.onnx` + `test_data_set_*/{input,output}_*.pb`)
of the categories node, pytorch-converted, pytorch-operator and simple, it
imports the model with the ONNX importer in FP32, compiles it to the graph
level and runs every data set on the reference interpreter, comparing each
output with ONNX's backend-test tolerances (rtol 1e-3, atol 1e-7, same shape;
integer and boolean outputs must have ONNX's element type and equal values).

If the importer needs the value of a graph input at compile time (a
Reshape's shape, a Slice's starts...), the test is compiled once per data
set with those inputs as compile-time constants; such tests are counted
separately ("passed with constant inputs").

The expected-failure list (`--xfail`, default
test/python/onnx_expected_failures.txt next to the repository) has one line
per test that does not pass: `<category>/<test>: <reason>`; a reason that
starts with `SKIP` means the test is not run (too slow for the suite).
Without --update the run exits 1 if a listed test passes or an unlisted
test fails; --update rewrites the list from this run. --docs writes the
coverage table (per category and per op).
"""

import argparse
import glob
import os
import pathlib
import re
import sys
import time

import numpy as np

DATA = "/usr/share/libonnx-testdata/data"
CATEGORIES = ("node", "pytorch-converted", "pytorch-operator", "simple")
RTOL, ATOL = 1e-3, 1e-7
REPO = pathlib.Path(__file__).resolve().parents[3] \
    if (pathlib.Path(__file__).resolve().parents[3] / "test").exists() \
    else pathlib.Path.cwd()
XFAIL = "test/python/onnx_expected_failures.txt"
# MLIR element type that must carry each integer/boolean ONNX output.
_INT_ET = {np.dtype(np.bool_): "i1", np.dtype(np.int8): "i8",
           np.dtype(np.int16): "i16", np.dtype(np.int32): "i32",
           np.dtype(np.int64): "i64"}


def _load_tensor(path):
    import onnx
    from onnx import numpy_helper

    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t.name, numpy_helper.to_array(t)


def _data_sets(test_dir):
    sets = []
    for d in sorted(glob.glob(os.path.join(test_dir, "test_data_set_*"))):
        ins = [_load_tensor(p) for p in sorted(
            glob.glob(os.path.join(d, "input_*.pb")),
            key=lambda p: int(p.rsplit("_", 1)[1][:-3]))]
        outs = [_load_tensor(p) for p in sorted(
            glob.glob(os.path.join(d, "output_*.pb")),
            key=lambda p: int(p.rsplit("_", 1)[1][:-3]))]
        sets.append((ins, outs))
    return sets


def _first_line(e):
    s = str(e).strip().splitlines()
    s = s[0] if s else type(e).__name__
    return s.replace("\n", " ")[:200]


def model_ops(model):
    return sorted({n.op_type for n in model.graph.node})


def run_test(test_dir, backend="reference"):
    """Runs one test; returns (status, detail) with status 'pass',
    'pass-const' or 'fail'. `backend`: "reference" (the graph-level
    interpreter) or "simulator" (the whole pipeline for the `small` target,
    run on the simulator)."""
    import onnx

    import dojo
    from dojo.frontend.onnx_import import import_onnx

    try:
        model = onnx.load(os.path.join(test_dir, "model.onnx"))
    except Exception as e:  # noqa: BLE001
        return "fail", "cannot load model: " + _first_line(e)
    try:
        sets = _data_sets(test_dir)
    except Exception as e:  # noqa: BLE001  (sequence/map inputs)
        return "fail", "unsupported test data: " + _first_line(e)
    if not sets:
        return "fail", "no test data"
    init = {t.name for t in model.graph.initializer}
    graph_inputs = [i.name for i in model.graph.input if i.name not in init]
    const_names = []

    def build(const_inputs):
        imp = import_onnx(model, None, "f32", const_inputs=const_inputs)
        prog = dojo._compile_text(
            imp.text, "small" if backend == "simulator" else "d1",
            source_name=os.path.basename(test_dir),
            graph_only=backend == "reference")
        return imp, prog

    compiled = None
    try:
        compiled = build(None)
    except dojo.CompileError as e:
        msg = str(e)
        if "must be known at compile time" not in msg:
            return "fail", _first_line(e)
        const_names = None   # decided per data set below
    except Exception as e:  # noqa: BLE001
        return "fail", (f"importer error: {type(e).__name__}: "
                        + _first_line(e))

    for ins, outs in sets:
        values = {}
        for k, (name, arr) in enumerate(ins):
            values[name or graph_inputs[k]] = arr
        try:
            if const_names is None:
                # Graph inputs the importer names as needed at compile time
                # (shapes, axes, scales, indices), and integer inputs (only
                # usable as compile-time data), become constants.
                consts = {n: v for n, v in values.items()
                          if np.asarray(v).dtype.kind in "iu"}
                for _ in range(8):
                    try:
                        imp, prog = build(consts)
                        break
                    except dojo.CompileError as e:
                        m = re.search(r"'([^']+)'[^']*must be known at "
                                      "compile time", str(e))
                        if not m or m.group(1) not in values or \
                                m.group(1) in consts:
                            raise
                        consts[m.group(1)] = values[m.group(1)]
                else:
                    return "fail", "too many compile-time inputs"
            else:
                imp, prog = compiled
            feed = {n: values[n] for n in imp.input_names}
            for n in imp.input_names:
                if feed[n].dtype.kind == "f" and feed[n].dtype != np.float32:
                    return "fail", f"input '{n}' is {feed[n].dtype}"
            feed.update(imp.params)
            if backend == "simulator":
                got = prog.run(feed)[0]
            else:
                got = dojo.reference(prog.mlir(), feed)
        except Exception as e:  # noqa: BLE001
            return "fail", _first_line(e)
        if len(got) != len(outs):
            return "fail", f"{len(got)} outputs, expected {len(outs)}"
        for i, (_, want) in enumerate(outs):
            g = got[f"result{i}"]
            if want.dtype.kind in "iub":
                # Integer and boolean outputs: the IR's result element type
                # must be ONNX's, the values equal.
                et = (imp.output_types or [None] * len(outs))[i]
                if et != _INT_ET.get(want.dtype):
                    return "fail", (f"output {i} is {et}, expected "
                                    f"{want.dtype}")
                if g.shape != want.shape:
                    return "fail", (f"output {i} shape {g.shape}, expected "
                                    f"{want.shape}")
                if not np.array_equal(g.astype(np.int64),
                                      want.astype(np.int64)):
                    bad = g.astype(np.int64) != want.astype(np.int64)
                    return "fail", (f"output {i} mismatch: {int(bad.sum())} "
                                    f"of {want.size} elements differ")
                continue
            if want.dtype != np.float32:
                return "fail", f"output {i} is {want.dtype}"
            if g.shape != want.shape:
                return "fail", (f"output {i} shape {g.shape}, expected "
                                f"{want.shape}")
            try:
                np.testing.assert_allclose(g, want, rtol=RTOL, atol=ATOL)
            except AssertionError:
                bad = ~np.isclose(g, want, rtol=RTOL, atol=ATOL,
                                  equal_nan=True)
                err = np.abs(g.astype(np.float64) - want)[bad].max() \
                    if bad.any() else 0.0
                return "fail", (f"output {i} mismatch: {int(bad.sum())} of "
                                f"{want.size} elements, max abs error "
                                f"{err:.3g}")
    return ("pass-const" if const_names is None else "pass"), ""


def read_xfail(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            name, _, reason = line.partition(": ")
            out[name.strip()] = reason.strip()
    return out


def write_xfail(path, results, old):
    lines = ["# ONNX conformance: tests that do not pass on the reference "
             "backend (fp32).",
             "# One line per test: <category>/<test>: <reason>. `SKIP ...` "
             "tests are not run.",
             "# Regenerate with: python3 -m dojo.conformance --update"]
    for name in sorted(set(results) | {k for k, v in old.items()
                                       if v.startswith("SKIP")}):
        if name in results:
            st, detail, _ = results[name]
            if st == "fail":
                lines.append(f"{name}: {detail}")
        else:
            lines.append(f"{name}: {old[name]}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def all_tests(data, categories, substr=None):
    tests = []
    for cat in categories:
        for d in sorted(glob.glob(os.path.join(data, cat, "*"))):
            if os.path.exists(os.path.join(d, "model.onnx")):
                name = f"{cat}/{os.path.basename(d)}"
                if substr and substr not in name:
                    continue
                tests.append((name, d))
    return tests


def run_all(data=DATA, categories=CATEGORIES, xfail=None, substr=None,
            log=None, backend="reference"):
    """Runs every test not marked SKIP; returns {name: (status, detail,
    ops)} for the tests run and the SKIP entries of the list."""
    import onnx

    skips = {k: v for k, v in (xfail or {}).items() if v.startswith("SKIP")}
    results = {}
    for name, d in all_tests(data, categories, substr):
        try:
            ops = model_ops(onnx.load(os.path.join(d, "model.onnx")))
        except Exception:  # noqa: BLE001
            ops = []
        if name in skips:
            results[name] = ("skip", skips[name], ops)
            continue
        t = time.time()
        st, detail = run_test(d, backend)
        dt = time.time() - t
        results[name] = (st, detail, ops)
        if log:
            log(f"{st:10s} {dt:6.2f}s {name} {detail}")
    return results


def compare(results, xfail):
    """(newly passing, newly failing) test names."""
    newly_pass, newly_fail = [], []
    for name, (st, detail, _) in results.items():
        listed = name in xfail
        if st in ("pass", "pass-const") and listed:
            newly_pass.append(name)
        elif st == "fail" and not listed:
            newly_fail.append(f"{name}: {detail}")
    return newly_pass, newly_fail


def coverage_md(results, data=DATA):
    cats = {}
    ops = {}
    for name, (st, detail, model_ops_) in results.items():
        cat = name.split("/", 1)[0]
        c = cats.setdefault(cat, {"pass": 0, "pass-const": 0, "fail": 0,
                                  "skip": 0})
        c[st] += 1
        if cat == "node":
            for op in model_ops_ or ["?"]:
                o = ops.setdefault(op, {"pass": 0, "pass-const": 0,
                                        "fail": 0, "skip": 0})
                o[st] += 1
    lines = [
        "# ONNX conformance coverage",
        "",
        "Generated by `python3 -m dojo.conformance --update --docs "
        "docs/coverage.md` (checked by `test/python/test_onnx_conformance.py`)"
        f" over `{data}` (Debian `libonnx-testdata`): every test's",
        "`model.onnx` is imported in FP32, compiled to the graph level and "
        "every `test_data_set_*` runs on the reference interpreter, compared "
        "with ONNX's tolerances (rtol 1e-3, atol 1e-7, same shape; "
        "integer and boolean outputs exactly, with ONNX's element type).",
        "",
        "*passed (const)*: passed with some integer graph inputs (shapes, "
        "axes, indices) fixed at compile time from the test data, compiled "
        "once per data set. *expected to fail* and *skipped* are listed with "
        "a reason in `test/python/onnx_expected_failures.txt`.",
        "",
        "| category | passed | passed (const) | expected to fail | skipped "
        "| total |",
        "|---|---|---|---|---|---|",
    ]
    tot = {"pass": 0, "pass-const": 0, "fail": 0, "skip": 0}
    for cat in CATEGORIES:
        if cat not in cats:
            continue
        c = cats[cat]
        for k in tot:
            tot[k] += c[k]
        lines.append(f"| {cat} | {c['pass']} | {c['pass-const']} | "
                     f"{c['fail']} | {c['skip']} | {sum(c.values())} |")
    lines.append(f"| **all** | {tot['pass']} | {tot['pass-const']} | "
                 f"{tot['fail']} | {tot['skip']} | {sum(tot.values())} |")
    lines += ["", "## Node tests by op", "",
              "A test counts for every op type in its model.", "",
              "| op | passed | passed (const) | expected to fail | skipped "
              "| total |", "|---|---|---|---|---|---|"]
    for op in sorted(ops):
        o = ops[op]
        lines.append(f"| {op} | {o['pass']} | {o['pass-const']} | "
                     f"{o['fail']} | {o['skip']} | {sum(o.values())} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--categories", default=",".join(CATEGORIES))
    ap.add_argument("--xfail", default=str(REPO / XFAIL))
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--docs", default=None)
    ap.add_argument("-k", dest="substr", default=None)
    ap.add_argument("-v", action="store_true")
    ap.add_argument("--backend", choices=("reference", "simulator"),
                    default="reference",
                    help="simulator: compile every test for the `small` "
                    "target and run it on the simulator (FP32 matmuls on the "
                    "vector unit); prints counts per category, does not use "
                    "the expected-failure list")
    args = ap.parse_args(argv)
    xfail = read_xfail(args.xfail)
    t = time.time()
    results = run_all(args.data, args.categories.split(","), xfail,
                      args.substr, log=print if args.v else None,
                      backend=args.backend)
    counts = {}
    for st, _, _ in results.values():
        counts[st] = counts.get(st, 0) + 1
    print(f"{len(results)} tests in {time.time() - t:.1f}s: " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if args.backend == "simulator":
        for cat in args.categories.split(","):
            c = {}
            for name, (st, _, _) in results.items():
                if name.startswith(cat + "/"):
                    c[st] = c.get(st, 0) + 1
            print(f"  {cat}: " + ", ".join(f"{k} {v}"
                                           for k, v in sorted(c.items())))
        return 0
    if args.docs:
        with open(args.docs, "w", encoding="utf-8") as f:
            f.write(coverage_md(results, args.data))
    if args.update:
        write_xfail(args.xfail, results, xfail)
        return 0
    newly_pass, newly_fail = compare(results, xfail)
    for n in newly_pass:
        print("NEWLY PASSING (remove from the list):", n)
    for n in newly_fail:
        print("NEWLY FAILING:", n)
    return 1 if newly_pass or newly_fail else 0


if __name__ == "__main__":
    sys.exit(main())
