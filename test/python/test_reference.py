"""The reference interpreter is the oracle for the simulator: check its
semantics on cases where a sloppy implementation would differ (accumulation
order, one rounding per op, signed zeros and NaN, broadcasting, kernels)."""

import numpy as np
import pytest

import dojo


def ref(text, *inputs):
    return dojo.reference(text, list(inputs))["result0"]


def f32(*v):
    return np.array(v, dtype=np.float32)


def test_matmul_accumulates_in_ascending_k_with_fp32_rounding():
    # 0 + 1*1 = 1; + 2^24 = 2^24 (2^24 + 1 rounds to even); - 2^24 = 0.
    # Exact arithmetic, or another order, would give 1.
    text = """
    func.func @f(%a: tensor<1x3xf32>, %b: tensor<3x1xf32>) -> tensor<1x1xf32> {
      %0 = dojo.matmul %a, %b : tensor<1x3xf32>, tensor<3x1xf32> -> tensor<1x1xf32>
      return %0 : tensor<1x1xf32>
    }"""
    a = f32(1, 2**24, -(2**24)).reshape(1, 3)
    b = np.ones((3, 1), np.float32)
    assert ref(text, a, b)[0, 0] == 0.0
    # Reversed order: 0 - 2^24 + 2^24 + 1 = 1.
    assert ref(text, a[:, ::-1].copy(), b)[0, 0] == 1.0


def test_matmul_rounds_once_to_bf16():
    # FP32 sum 1 + 2^-8 + 2^-8 = 1 + 2^-7 is a BF16 value; rounding every
    # partial sum to BF16 would give 1 (1 + 2^-8 is a tie, to even).
    text = """
    func.func @f(%a: tensor<1x3xbf16>, %b: tensor<3x1xbf16>) -> tensor<1x1xbf16> {
      %0 = dojo.matmul %a, %b : tensor<1x3xbf16>, tensor<3x1xbf16> -> tensor<1x1xbf16>
      return %0 : tensor<1x1xbf16>
    }"""
    a = f32(1, 2**-8, 2**-8).reshape(1, 3)
    b = np.ones((3, 1), np.float32)
    assert ref(text, a, b)[0, 0] == np.float32(1 + 2**-7)


def test_bf16_inputs_are_rounded_to_nearest_even():
    text = """
    func.func @f(%a: tensor<4xbf16>, %b: tensor<4xbf16>) -> tensor<4xbf16> {
      %0 = dojo.add %a, %b : tensor<4xbf16>, tensor<4xbf16> -> tensor<4xbf16>
      return %0 : tensor<4xbf16>
    }"""
    # Ties go to even: 1 + 2^-8 -> 1, 1 + 3*2^-8 -> 1 + 2^-6.
    a = f32(1 + 2**-8, 1 + 3 * 2**-8, 1 + 2**-9, -(1 + 2**-8))
    out = ref(text, a, np.zeros(4, np.float32))
    np.testing.assert_array_equal(out, dojo.round_bf16(a))
    np.testing.assert_array_equal(out, f32(1, 1 + 2**-6, 1, -1))


def test_relu_signed_zero_nan_and_infinities():
    text = """
    func.func @f(%x: tensor<6xf32>) -> tensor<6xf32> {
      %0 = dojo.relu %x : tensor<6xf32>
      return %0 : tensor<6xf32>
    }"""
    out = ref(text, f32(-0.0, 0.0, np.nan, -np.inf, np.inf, -3))
    assert out[0] == 0 and not np.signbit(out[0])  # -0 -> +0
    assert out[1] == 0 and not np.signbit(out[1])
    assert np.isnan(out[2])
    assert out[3] == 0 and out[4] == np.inf and out[5] == 0


def test_add_numpy_broadcasting():
    text = """
    func.func @f(%a: tensor<4x1xf32>, %b: tensor<2x1x3xf32>) -> tensor<2x4x3xf32> {
      %0 = dojo.add %a, %b : tensor<4x1xf32>, tensor<2x1x3xf32> -> tensor<2x4x3xf32>
      return %0 : tensor<2x4x3xf32>
    }"""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 1)).astype(np.float32)
    b = rng.standard_normal((2, 1, 3)).astype(np.float32)
    np.testing.assert_array_equal(ref(text, a, b), a + b)


def test_add_rounds_the_fp32_sum_to_nearest():
    text = """
    func.func @f(%a: tensor<1xbf16>, %b: tensor<1xbf16>) -> tensor<1xbf16> {
      %0 = dojo.add %a, %b : tensor<1xbf16>, tensor<1xbf16> -> tensor<1xbf16>
      return %0 : tensor<1xbf16>
    }"""
    # 1 + (2^-8 + 2^-14) is just above the tie between 1 and 1 + 2^-7:
    # rounds up (truncation would give 1).
    out = ref(text, f32(1.0), f32(2**-8 + 2**-14))
    assert out[0] == np.float32(1 + 2**-7)


KERNEL = """
#rows = affine_map<(i, j) -> (i, 0)>
#cols = affine_map<(i, j) -> (0, j)>
#vec = affine_map<(i, j) -> (j)>
#out = affine_map<(i, j) -> (%s)>
func.func @f(%%a: tensor<4x8xbf16>, %%b: tensor<8x6xbf16>, %%c: tensor<6xbf16>)
    -> tensor<%s> {
  %%0 = dojo.kernel grid [2, 3] maps [#rows, #cols, #vec, #out]
      ins(%%a, %%b, %%c : tensor<4x8xbf16>, tensor<8x6xbf16>, tensor<6xbf16>)
      -> tensor<%s> {
  ^bb0(%%x: tensor<2x8xbf16>, %%y: tensor<8x2xbf16>, %%z: tensor<2xbf16>):
    %%m = dojo.matmul %%x, %%y : tensor<2x8xbf16>, tensor<8x2xbf16> -> tensor<2x2xbf16>
    %%s = dojo.add %%m, %%z : tensor<2x2xbf16>, tensor<2xbf16> -> tensor<2x2xbf16>
    %%r = dojo.relu %%s : tensor<2x2xbf16>
    dojo.yield %%r : tensor<2x2xbf16>
  }
  return %%0 : tensor<%s>
}"""

GRAPH = """
func.func @f(%a: tensor<4x8xbf16>, %b: tensor<8x6xbf16>, %c: tensor<6xbf16>)
    -> tensor<4x6xbf16> {
  %m = dojo.matmul %a, %b : tensor<4x8xbf16>, tensor<8x6xbf16> -> tensor<4x6xbf16>
  %s = dojo.add %m, %c : tensor<4x6xbf16>, tensor<6xbf16> -> tensor<4x6xbf16>
  %r = dojo.relu %s : tensor<4x6xbf16>
  return %r : tensor<4x6xbf16>
}"""


def kernel_inputs():
    rng = np.random.default_rng(5)
    return [dojo.round_bf16(rng.uniform(-1, 1, s).astype(np.float32))
            for s in ((4, 8), (8, 6), (6,))]


def test_kernel_matches_graph_level():
    ins = kernel_inputs()
    tiled = ref(KERNEL % ("i, j", "4x6xbf16", "4x6xbf16", "4x6xbf16"), *ins)
    np.testing.assert_array_equal(tiled, ref(GRAPH, *ins))


def test_kernel_result_map_places_tiles():
    # Result map (i, j) -> (j, i): the tile of grid point (i, j) lands at
    # block (j, i) of a 6x4 result.
    ins = kernel_inputs()
    placed = ref(KERNEL % ("j, i", "6x4xbf16", "6x4xbf16", "6x4xbf16"), *ins)
    full = ref(GRAPH, *ins)
    for i in range(2):
        for j in range(3):
            np.testing.assert_array_equal(
                placed[2 * j:2 * j + 2, 2 * i:2 * i + 2],
                full[2 * i:2 * i + 2, 2 * j:2 * j + 2])


def test_named_inputs():
    text = """
    func.func @f(%x: tensor<2xf32> {dojo.name = "x"}, %y: tensor<2xf32>) -> tensor<2xf32> {
      %0 = dojo.add %x, %y : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
      return %0 : tensor<2xf32>
    }"""
    out = dojo.reference(text, {"x": f32(1, 2), "arg1": f32(10, 20)})
    np.testing.assert_array_equal(out["result0"], f32(11, 22))
    with pytest.raises(RuntimeError, match="no input named 'arg1'"):
        dojo.reference(text, {"x": f32(1, 2)})


def test_unsupported_op_is_a_located_error():
    text = """func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = arith.negf %x : tensor<2xf32>
  %0 = dojo.add %x, %c : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}"""
    with pytest.raises(RuntimeError) as info:
        dojo.reference(text, [f32(1, 2)])
    msg = str(info.value)
    assert "reference interpreter does not support 'arith.negf'" in msg
    assert ":2:8: error:" in msg


def test_wrong_input_shape_is_an_error():
    text = """
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %0 = dojo.relu %x : tensor<2xf32>
      return %0 : tensor<2xf32>
    }"""
    with pytest.raises(RuntimeError, match="but the argument is f32\\[2\\]"):
        dojo.reference(text, [f32(1, 2, 3)])
