"""ONNX backend conformance (Debian libonnx-testdata) on the reference
backend in FP32: every test runs (about 2 s in all) and the result must
match the expected-failure list exactly -- a listed test that now passes or
an unlisted test that fails makes this test fail -- and docs/coverage.md
must hold this run's counts. Regenerate both with

    PYTHONPATH=build/python /usr/bin/python3 -m dojo.conformance --update \\
        --docs docs/coverage.md
"""

import os
import pathlib

import pytest

pytest.importorskip("onnx")

from dojo import conformance  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
XFAIL = REPO / "test" / "python" / "onnx_expected_failures.txt"
COVERAGE = REPO / "docs" / "coverage.md"

if not os.path.isdir(conformance.DATA):
    pytest.skip("libonnx-testdata is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def results():
    xfail = conformance.read_xfail(str(XFAIL))
    return xfail, conformance.run_all(xfail=xfail)


def test_expected_failures_match(results):
    xfail, res = results
    newly_pass, newly_fail = conformance.compare(res, xfail)
    assert not newly_pass, ("tests now pass (remove them from "
                            f"{XFAIL.name}): {newly_pass}")
    assert not newly_fail, f"tests now fail: {newly_fail}"
    # Every listed test exists.
    missing = sorted(set(xfail) - set(res))
    assert not missing, f"listed tests that do not exist: {missing}"


def test_coverage_doc_is_current(results):
    _, res = results
    assert COVERAGE.read_text() == conformance.coverage_md(res), \
        "docs/coverage.md is stale: rerun dojo.conformance --docs"


def test_targets(results):
    """Issue 5's floors, counting real passes (constant-input passes are
    reported separately in docs/coverage.md)."""
    _, res = results
    count = {}
    for name, (st, _, _) in res.items():
        if st == "pass":
            cat = name.split("/")[0]
            count[cat] = count.get(cat, 0) + 1
    # Current floors; the targets are 450 / 70 / 28.
    assert count.get("node", 0) >= 551
    assert count.get("pytorch-converted", 0) >= 82
    assert count.get("pytorch-operator", 0) >= 29


def test_simulator_backend():
    """The same tests through the whole pipeline on the simulator (target
    `small`, FP32: matmuls and convolutions on the vector unit), against
    ONNX's expected outputs with ONNX's tolerances. Floors: what passes
    today; ops that are graph-level only fail with a NotLoweredError."""
    xfail = conformance.read_xfail(str(XFAIL))
    res = conformance.run_all(backend="simulator")
    count = {}
    for name, (st, _, _) in res.items():
        if st == "pass":
            cat = name.split("/")[0]
            count[cat] = count.get(cat, 0) + 1
    assert count.get("node", 0) >= 308
    assert count.get("pytorch-converted", 0) >= 82
    assert count.get("pytorch-operator", 0) >= 28
    # Nothing the reference passes may fail on the simulator for a reason
    # other than a missing lowering (a wrong answer is a bug).
    for name, (st, detail, _) in res.items():
        if st == "fail" and name not in xfail:
            assert "mismatch" not in detail, (name, detail)
