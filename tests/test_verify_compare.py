"""Normalisation and comparison on real runs: dataset specs and limits, signed zeros, addresses."""

from __future__ import annotations

import pytest

from tfnp_migrate.model import Settings
from tfnp_migrate.verify import CaseResult, verify_cases
from tfnp_migrate.verify.cases import load_case

HEAD = (
    "import numpy as np\nimport tensorflow as tf\n\n\nclass Foo:\n    pass\n\n\n"
    "EMPTY_MAP_NP = lambda x: np.sum(x).astype(np.int32)\n"
    "EMPTY_MAP_TF = lambda x: tf.cast(tf.reduce_sum(x), tf.int32)\n\n\n"
)
FLOAT32 = "# tfnp-migrate: --dtype-policy=float32\n"
EMPTY_GENERATOR = (
    "tf.data.Dataset.from_generator(lambda: iter(()), "
    "output_signature=tf.TensorSpec([None], tf.float32))"
)
HEX_REPR = "type('Bar', (), {{'__repr__': lambda s: '<{}>'}})()"

# name: (header, main() of the before, main() of the after, outcome, start of the detail)
PAIRS = {
    "empty_dataset_other_dtype": (
        "",
        "tf.data.Dataset.from_tensor_slices(tf.zeros([0], tf.float32))",
        "tf.data.Dataset.from_tensor_slices(tf.zeros([0], tf.int32))",
        "DIFFERENT",
        "result.element_spec: expected TensorSpec float32, got TensorSpec int32",
    ),
    "empty_dataset_other_nesting": (
        "",
        "tf.data.Dataset.from_tensor_slices((tf.zeros([0]), tf.zeros([0])))",
        "tf.data.Dataset.from_tensor_slices(tf.zeros([0, 2]))",
        "DIFFERENT",
        "result.element_spec: expected tuple of 2, got TensorSpec float32",
    ),
    "dataset_specs_differ_in_shape_only": (
        "",
        "tf.data.Dataset.from_tensor_slices(tf.zeros([0, 2]))",
        EMPTY_GENERATOR,
        "same",
        "",
    ),
    "datasets_both_past_the_limit": (
        "",
        "tf.data.Dataset.range(10_001)",
        "tf.data.Dataset.range(10_002)",
        "same",
        "",
    ),
    "dataset_past_the_limit_and_one_at_it": (
        "",
        "tf.data.Dataset.range(10_001)",
        "tf.data.Dataset.range(10_000)",
        "DIFFERENT",
        "result: expected dataset of more than 10000 elements, got dataset of 10000 elements",
    ),
    # the eager reference never calls the callback on no element: it cannot know the int32 spec
    "empty_dataset_mapped_in_eager_reference": (
        "",
        "tf.data.Dataset.from_tensor_slices(tf.zeros([0, 2])).map(EMPTY_MAP_NP)",
        "tf.data.Dataset.from_tensor_slices(tf.zeros([0, 2])).map(EMPTY_MAP_TF)",
        "fixed",
        "",
    ),
    "signed_zero_in_ndarray": (
        "",
        "np.array([0.0, 1.0])",
        "np.array([-0.0, 1.0])",
        "DIFFERENT",
        "result: float64 (2,): expected [0.0, 1.0], got [-0.0, 1.0]",
    ),
    "signed_zero_python_float": ("", "0.0", "-0.0", "DIFFERENT", "result: expected 0.0, got -0.0"),
    "signed_zero_under_float32_tolerance": (
        FLOAT32,
        "np.array([0.0], np.float32)",
        "np.array([-0.0], np.float32)",
        "same",
        "",
    ),
    # the after keeps one more Foo alive, so the returned one lives at another address; each
    # run's module has its own name (tfnp_case_<n>), which the repr shows
    "object_at_another_address": ("", "Foo()", "[Foo(), Foo()][1]", "same", ""),
    "object_repr_with_other_address_and_run_module": (
        "",
        HEX_REPR.format("tfnp_case_1.Bar at 0x1f"),
        HEX_REPR.format("tfnp_case_2.Bar at 0xab"),
        "same",
        "",
    ),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseResult]:
    """All pairs run once, together, in worker processes that import TensorFlow."""
    folder = tmp_path_factory.mktemp("pairs")
    for name, (header, before, after, _, _) in PAIRS.items():
        for suffix, body in (("in", before), ("out", after)):
            source = f"{header}{HEAD}def main():\n    return {body}\n"
            (folder / f"{name}.{suffix}.py").write_text(source)
    cases = [load_case(p, Settings()) for p in sorted(folder.glob("*.in.py"))]
    return {c.name.split("-")[-1]: c for c in verify_cases(cases, jobs=2).cases}


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(PAIRS))
def test_real_run(name: str, results: dict[str, CaseResult]) -> None:
    *_, outcome, detail = PAIRS[name]
    found = results[name]
    assert (found.outcome, found.detail[: len(detail)]) == (outcome, detail)


@pytest.mark.tensorflow
def test_truncated_datasets_are_noted(results: dict[str, CaseResult]) -> None:
    notes = results["datasets_both_past_the_limit"].notes
    assert notes == ("result: dataset compared on its first 10000 elements",)


@pytest.mark.tensorflow
def test_unknown_spec_of_an_empty_eager_reference_is_noted(
    results: dict[str, CaseResult],
) -> None:
    notes = results["empty_dataset_mapped_in_eager_reference"].notes
    assert "result: element_spec not compared (unknown for an empty eager reference)" in notes


def _array(dtype: str, values: list[float]) -> tuple:  # type: ignore[type-arg]
    return ("ndarray", dtype, (len(values),), values)


@pytest.mark.parametrize(
    ("dtype", "expected", "got", "equal"),
    [
        ("float64", 2.718281828459045, 2.7182818284590455, True),  # np.exp vs tf.exp: 1 ulp
        ("float64", 1.0, 1.0 + 4 * 2.0**-52, True),
        ("float64", 1.0, 1.0 + 16 * 2.0**-52, False),
        ("float64", 0.1, float(__import__("numpy").float32(0.1)), False),  # computed in float32
        ("float32", 1.0, 1.0 + 2.0**-23, True),
        ("float32", 1.0, 1.0 + 2.0**-20, False),
        ("float64", 0.0, -0.0, False),  # the sign of zero still counts
        ("int64", 1, 2, False),
    ],
)
def test_float_arrays_agree_to_a_few_ulps(
    dtype: str, expected: float, got: float, equal: bool
) -> None:
    from tfnp_migrate.verify.compare import Rules, compare

    found = compare(_array(dtype, [expected]), _array(dtype, [got]), Rules())
    assert (found.difference is None) is equal, found.difference
