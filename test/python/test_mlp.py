"""End to end through the Python module: compile the bundled MLP examples,
run them on the simulator, and check them against the reference interpreter
(bit for bit) and against an independent NumPy computation (within BF16
tolerance)."""

import pathlib
import time

import numpy as np
import pytest

import dojo

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def bf16(x):
    """Independent BF16 rounding (nearest even) of float32 values."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    u = x.view(np.uint32).astype(np.uint64)
    u = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) << 16
    return u.astype(np.uint32).view(np.float32).reshape(x.shape)


def matmul_ascending_k(a, b):
    """FP32 matmul that adds the products in ascending k, each product and
    each sum rounded to FP32 on its own -- the matrix unit's order, emulated
    with NumPy elementwise float32 operations."""
    acc = np.zeros((a.shape[0], b.shape[1]), np.float32)
    for k in range(a.shape[1]):
        acc = acc + a[:, k:k + 1] * b[k:k + 1, :]
    return acc


def numpy_mlp(x, w1, b1, w2, b2, matmul):
    """The MLP with FP32 accumulation and one BF16 rounding per op; returns
    the output and the hidden activations."""
    h = bf16(matmul(x, w1))
    h = bf16(h + b1)
    h = np.maximum(h, np.float32(0))
    y = bf16(matmul(h, w2))
    return bf16(y + b2), h


def blas_matmul(a, b):
    return np.matmul(a, b, dtype=np.float32)


def mlp_inputs(prog, seed):
    rng = np.random.default_rng(seed)
    inputs = {}
    for sym in prog.symbols():
        if sym["kind"] == "input":
            assert sym["dtype"] == "bf16"
            inputs[sym["name"]] = bf16(
                rng.uniform(-1, 1, size=sym["shape"]).astype(np.float32))
    return inputs


def check_mlp(path, target):
    text = path.read_text()
    prog = dojo.compile(text, target=target, source_name=str(path))
    names = [s["name"] for s in prog.symbols() if s["kind"] == "input"]
    assert names == ["arg0", "arg1", "arg2", "arg3", "arg4"]
    assert prog.output_names() == ["result0"]
    assert "dojo.matmul" in prog.mlir()
    assert "mm" in prog.asm()

    inputs = mlp_inputs(prog, seed=1)
    outputs, stats = prog.run(inputs)
    ref = prog.reference(inputs)
    sim_y, ref_y = outputs["result0"], ref["result0"]
    assert sim_y.dtype == np.float32 and ref_y.dtype == np.float32
    # Simulator and reference interpreter agree bit for bit.
    np.testing.assert_array_equal(sim_y.view(np.uint32), ref_y.view(np.uint32))
    args = [inputs[n] for n in names]
    # An independent NumPy emulation of the same arithmetic (ascending-k FP32
    # accumulation, BF16 rounding after every op) agrees bit for bit.
    exact, _ = numpy_mlp(*args, matmul=matmul_ascending_k)
    np.testing.assert_array_equal(sim_y.view(np.uint32), exact.view(np.uint32))
    # Plain NumPy (BLAS sums in another order) agrees within BF16 tolerance:
    # a hidden activation may round to the neighbouring BF16 value (relative
    # error <= 2^-8 each), which layer 2 scales by |w2|; then two more BF16
    # roundings of the output.
    blas, h = numpy_mlp(*args, matmul=blas_matmul)
    w2, b2 = args[3], args[4]
    tol = 2.0**-7 * (np.abs(h) @ np.abs(w2) + np.abs(b2)) + 2.0**-7 * np.abs(blas)
    assert np.all(np.abs(sim_y - blas) <= tol + 1e-6)
    # The values really are BF16.
    np.testing.assert_array_equal(bf16(sim_y), sim_y)

    assert stats["cycles"] > 0
    (b, i), (_, h), (_, o) = (inputs[n].shape for n in ("arg0", "arg1", "arg3"))
    assert stats["macs"] == b * i * h + b * h * o
    assert 0 < stats["utilization"] <= 1
    assert 0 < stats["cores_used"] <= stats["cores_enabled"]
    assert 0 < stats["sram_high_water"] <= stats["sram_bytes"]
    return prog, stats


@pytest.mark.parametrize("target", ["tiny", "small"])
def test_mlp_small(target):
    check_mlp(EXAMPLES / "mlp_small.mlir", target)


@pytest.mark.parametrize("target", ["tiny", "small"])
def test_mlp_bundled(target):
    check_mlp(EXAMPLES / "mlp.mlir", target)


def test_mlp_bundled_d1():
    start = time.time()
    _, stats = check_mlp(EXAMPLES / "mlp.mlir", "d1")
    assert stats["cores_enabled"] == 354
    assert time.time() - start < 120


def test_positional_inputs_and_save(tmp_path):
    prog = dojo.compile((EXAMPLES / "mlp_small.mlir").read_text(), "tiny")
    inputs = mlp_inputs(prog, seed=2)
    by_name, _ = prog.run(inputs)
    by_pos, _ = prog.run([inputs[n] for n in prog.input_names()])
    np.testing.assert_array_equal(by_name["result0"], by_pos["result0"])
    for binary, name in ((True, "p.dojo"), (False, "p.s")):
        prog.save(tmp_path / name, binary=binary)
        again = dojo.load_program(tmp_path / name)
        assert again.asm() == prog.asm()
        out, _ = again.run(inputs)
        np.testing.assert_array_equal(out["result0"], by_name["result0"])


def test_bad_inputs():
    prog = dojo.compile((EXAMPLES / "mlp_small.mlir").read_text(), "tiny")
    inputs = mlp_inputs(prog, seed=3)
    with pytest.raises(KeyError):
        prog.run({k: v for k, v in inputs.items() if k != "arg0"})
    with pytest.raises(ValueError, match="shape"):
        prog.run(dict(inputs, arg0=np.zeros((3, 3), np.float32)))


def test_round_bf16_matches_numpy_emulation():
    x = np.random.default_rng(0).standard_normal(1000).astype(np.float32)
    np.testing.assert_array_equal(dojo.round_bf16(x), bf16(x))


def test_keep_stages():
    prog = dojo.compile((EXAMPLES / "mlp_small.mlir").read_text(), "tiny",
                        keep_stages=True)
    stages = prog.stages()
    for name in ("dojo-set-target", "convert-linalg-to-dojo", "dojo-tile",
                 "dojo-place", "dojo-allocate-sram", "dojo-schedule",
                 "convert-dojo-to-isa"):
        assert name in stages, name
    assert "dojo.kernel" in stages["dojo-tile"]
    assert "dojoisa.program" in stages["convert-dojo-to-isa"]


def test_malformed_module_raises_compile_error():
    text = "func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n" \
           "  %y = dojo.relu %x : tensor<4xf32\n" \
           "  return %y : tensor<4xf32>\n}\n"
    with pytest.raises(dojo.CompileError) as info:
        dojo.compile(text, "tiny", source_name="bad.mlir")
    assert "bad.mlir:2:" in info.value.diagnostics
    assert "error:" in str(info.value)


def test_unsupported_op_raises_compile_error():
    text = """
func.func @f(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %e = tensor.empty() : tensor<4x4xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,
                                        affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.remf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}
"""
    with pytest.raises(dojo.CompileError) as info:
        dojo.compile(text, "tiny", source_name="rem.mlir")
    assert "rem.mlir:4:" in info.value.diagnostics
    assert "arith.remf" in info.value.diagnostics


def test_bad_target_raises_compile_error():
    with pytest.raises(dojo.CompileError):
        dojo.compile((EXAMPLES / "mlp_small.mlir").read_text(), "nonesuch")
