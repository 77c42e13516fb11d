"""What dtype `tf.constant(value)` infers, one rule per row; each known row is executed too."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import libcst as cst
import pytest
from libcst.metadata import (
    MetadataWrapper,
    ParentNodeProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

from tfnp_migrate.analysis.dtypes import DtypeInfo, infer_dtype
from tfnp_migrate.analysis.names import is_call_to

_PRELUDE = "import math\nimport numpy as np\nimport tensorflow as tf\n"

# (source whose last tf.constant call is probed, dtype or None, platform_dependent)
KNOWN = [
    pytest.param("tf.constant(1)", "int32", False, id="small int"),
    pytest.param("tf.constant([[1, 2], [3, -4]])", "int32", False, id="nested int list"),
    pytest.param("tf.constant([-2**31, 2**31 - 1])", "int32", False, id="int32 bounds"),
    pytest.param("tf.constant(2**31)", "int64", False, id="int just above int32"),
    pytest.param("tf.constant([1, 2**31])", "int64", False, id="one big int makes list int64"),
    pytest.param("tf.constant((-2**31 - 1, 1))", "int64", False, id="tuple below int32"),
    pytest.param("tf.constant(1.5)", "float32", False, id="python float"),
    pytest.param("tf.constant([[1, 2], [3.0, 4]])", "float32", False, id="ints and floats"),
    pytest.param("tf.constant(float('inf'))", "float32", False, id="float inf call"),
    pytest.param("tf.constant([-float('Inf'), 0.0])", "float32", False, id="negated float call"),
    pytest.param("tf.constant([math.pi, math.e])", "float32", False, id="math constants"),
    pytest.param(
        "tf.constant([np.inf, np.pi, -np.inf])", "float32", False, id="numpy float consts"
    ),
    pytest.param("tf.constant(True)", "bool", False, id="bool"),
    pytest.param("tf.constant([[True], [False]])", "bool", False, id="nested bools"),
    pytest.param("tf.constant(1 + 2j)", "complex128", False, id="complex arithmetic"),
    pytest.param("tf.constant([1j, 2j])", "complex128", False, id="complex list"),
    pytest.param("tf.constant('abc')", "string", False, id="str"),
    pytest.param("tf.constant([b'a', 'b'])", "string", False, id="bytes and str"),
    pytest.param("tf.constant(f'{1}x')", "string", False, id="f-string"),
    pytest.param("tf.constant([])", "float32", False, id="empty list"),
    pytest.param("tf.constant(())", "float32", False, id="empty tuple"),
    pytest.param("tf.constant([[]])", "float32", False, id="nested empty list"),
    pytest.param("tf.constant(-(3 - 5))", "int32", False, id="unary minus on arithmetic"),
    pytest.param("tf.constant(1 / 2)", "float32", False, id="true division of ints"),
    pytest.param("tf.constant(2**40 // 2**10)", "int32", False, id="floor division folds"),
    pytest.param("tf.constant(np.float32(1))", "float32", False, id="np.float32 scalar"),
    pytest.param("tf.constant(np.float64(1))", "float64", False, id="np.float64 scalar"),
    pytest.param("tf.constant(np.int16(3))", "int16", False, id="np.int16 scalar"),
    pytest.param("tf.constant(np.uint8(3))", "uint8", False, id="np.uint8 scalar"),
    pytest.param("tf.constant(np.bool_(True))", "bool", False, id="np.bool_ scalar"),
    pytest.param("tf.constant(np.complex64(1j))", "complex64", False, id="np.complex64 scalar"),
    pytest.param("tf.constant(np.zeros(3))", "float64", False, id="np.zeros"),
    pytest.param("tf.constant(np.ones((1, 2)))", "float64", False, id="np.ones"),
    pytest.param("tf.constant(np.eye(2))", "float64", False, id="np.eye"),
    pytest.param("tf.constant(np.identity(2))", "float64", False, id="np.identity"),
    pytest.param("tf.constant(np.linspace(0, 1, 5))", "float64", False, id="np.linspace"),
    pytest.param("tf.constant(np.full(2, 7.5))", "float64", False, id="np.full float"),
    pytest.param("tf.constant(np.full(2, True))", "bool", False, id="np.full bool"),
    pytest.param("tf.constant(np.random.rand(2))", "float64", False, id="np.random.rand"),
    pytest.param("tf.constant(np.random.randn(2, 3))", "float64", False, id="np.random.randn"),
    pytest.param("tf.constant(np.random.normal(size=3))", "float64", False, id="np.random.normal"),
    pytest.param("tf.constant(np.random.uniform(0, 1, (2, 2)))", "float64", False, id="uniform"),
    pytest.param("tf.constant(np.random.random([2]))", "float64", False, id="random list size"),
    pytest.param(
        "tf.constant(np.random.randint(5, size=2, dtype=np.int16))",
        "int16",
        False,
        id="randint dtype",
    ),
    pytest.param("tf.constant(np.array([1.0, 2]))", "float64", False, id="np.array of floats"),
    pytest.param("tf.constant(np.array([True]))", "bool", False, id="np.array of bools"),
    pytest.param("tf.constant(np.array(['a', 'bc']))", "string", False, id="np.array of str"),
    pytest.param("tf.constant(np.array([1j]))", "complex128", False, id="np.array of complex"),
    pytest.param("tf.constant(np.arange(3.0))", "float64", False, id="np.arange float"),
    pytest.param("tf.constant(np.ones(2, dtype=np.float32))", "float32", False, id="dtype np.X kw"),
    pytest.param("tf.constant(np.zeros(2, np.uint8))", "uint8", False, id="dtype positional"),
    pytest.param(
        "tf.constant(np.array([1, 2], dtype='float16'))", "float16", False, id="dtype as string"
    ),
    pytest.param(
        "tf.constant(np.full((2,), 3, dtype=float))", "float64", False, id="dtype builtin float"
    ),
    pytest.param("tf.constant(np.arange(4, dtype=np.int32))", "int32", False, id="arange int32"),
    pytest.param("tf.constant(np.eye(2, dtype=bool))", "bool", False, id="dtype builtin bool"),
    pytest.param(
        "tf.constant([np.float64(1), np.float64(2)])", "float64", False, id="list of np.float64"
    ),
    pytest.param("tf.constant([np.float32(1), 2.0])", "float32", False, id="np.float32 in list"),
    pytest.param(
        "tf.constant([np.int64(1), np.int64(2)])", "int32", False, id="list of np.int64 is int32"
    ),
    pytest.param(
        "tf.constant([np.int16(1), np.int32(2)])", "int32", False, id="list of mixed np ints"
    ),
    pytest.param(
        "MEAN = [0.485, 0.456, 0.406]\ntf.constant(MEAN)", "float32", False, id="module constant"
    ),
    pytest.param("N: int = 3\ntf.constant([N, 4])", "int32", False, id="annotated constant"),
    pytest.param(
        "A = np.zeros(2)\nA[0] = 5\ntf.constant(A)",
        "float64",
        False,
        id="ndarray mutated in place keeps dtype",
    ),
    pytest.param(
        "X = [1.0, 2.0]\nn = len(X)\ntf.constant(X)", "float32", False, id="list read by len"
    ),
    pytest.param("B = 2.0\nC = B\ntf.constant([C])", "float32", False, id="alias of a constant"),
    pytest.param(
        "def f():\n    v = np.ones(2)\n    return tf.constant(v)",
        "float64",
        False,
        id="local bound once",
    ),
    pytest.param("tf.constant(np.array([1, 2]))", "int64", True, id="np.array of ints"),
    pytest.param("tf.constant(np.arange(3))", "int64", True, id="np.arange int"),
    pytest.param("tf.constant(np.full(2, 7))", "int64", True, id="np.full int"),
    pytest.param("tf.constant(np.zeros(2, dtype=int))", "int64", True, id="dtype builtin int"),
    pytest.param("tf.constant(np.random.randint(5, size=3))", "int64", True, id="randint"),
    pytest.param("tf.constant(1e-50)", "float32", False, id="tiny float rounds to zero"),
    pytest.param("tf.constant([2**40, 1.5])", "float32", False, id="big int among floats"),
    pytest.param("tf.constant(np.linspace(0, 1, num=5))", "float64", False, id="linspace num kw"),
    pytest.param(
        "X = [1.5, 2]\ntf.constant(np.array(X))", "float64", False, id="np.array of const"
    ),
    pytest.param(
        "tf.constant(np.asarray([1.5], np.float32))", "float32", False, id="asarray dtype"
    ),
    pytest.param("tf.constant(np.zeros(2, 'float32'))", "float32", False, id="dtype float32 str"),
    pytest.param("tf.constant(np.ones(2, dtype=complex))", "complex128", False, id="dtype complex"),
    pytest.param("tf.constant(np.array([]))", "float64", False, id="np.array of empty list"),
    pytest.param(
        "tf.constant([[np.float64(1)], [np.float64(2)]])",
        "float64",
        False,
        id="nested np.float64 scalars",
    ),
    pytest.param(
        "tf.constant([np.float32(1.5), np.float32(2)])", "float32", False, id="list of np.float32"
    ),
    pytest.param("tf.constant([[], []])", "float32", False, id="two empty rows"),
    pytest.param("tf.constant(True + True)", "int32", False, id="bool arithmetic is int"),
    pytest.param(
        "from math import pi\ntf.constant([pi, 1])", "float32", False, id="from math import pi"
    ),
    pytest.param(
        "from numpy import zeros\ntf.constant(zeros(2))",
        "float64",
        False,
        id="from numpy import zeros",
    ),
    # NumPy results through dtype-keeping methods, indexing and astype (issue 14)
    pytest.param(
        "tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))",
        "float32",
        False,
        id="arange dtype then reshape",
    ),
    pytest.param(
        "tf.constant(np.linspace(0, 1, 5)[..., np.newaxis])", "float64", False, id="newaxis"
    ),
    pytest.param("tf.constant(np.linspace(0, 1, 5)[:, None])", "float64", False, id="None axis"),
    pytest.param("tf.constant(np.logspace(0, 1, 5))", "float64", False, id="np.logspace"),
    pytest.param("tf.constant(np.geomspace(1, 8, num=4))", "float64", False, id="np.geomspace"),
    pytest.param("tf.constant(np.zeros(3).astype(np.float32))", "float32", False, id="astype"),
    pytest.param(
        "tf.constant(np.array([1, 2]).astype('float16'))", "float16", False, id="astype string"
    ),
    pytest.param(
        "x = [1] if len(__name__) else [2.5]\n"
        "tf.constant(np.asarray(x).astype(np.float16, copy=False))",
        "float16",
        False,
        id="astype of an array of unknown dtype",
    ),
    pytest.param("tf.constant(np.ones((2, 3)).T)", "float64", False, id=".T"),
    pytest.param(
        "tf.constant(np.ones((2, 3), np.float32).transpose().copy())",
        "float32",
        False,
        id="transpose and copy",
    ),
    pytest.param("tf.constant(np.eye(3, dtype=np.float16).ravel())", "float16", False, id="ravel"),
    pytest.param("tf.constant(np.zeros((1, 3), np.int8).squeeze())", "int8", False, id="squeeze"),
    pytest.param(
        "tf.constant(np.zeros((2, 2), np.float32)[0, 1])",
        "float32",
        False,
        id="an element is a NumPy scalar of the same dtype",
    ),
    pytest.param(
        "A = np.arange(6.0)\nB = A.reshape(2, 3)\ntf.constant(B[..., None])",
        "float64",
        False,
        id="through names",
    ),
    pytest.param("tf.constant(np.arange(6).T)", "int64", True, id="default int through .T"),
    pytest.param(
        "X = np.array([1.0, 2.0], dtype=np.float32)\nY = tf.constant(X + 1)\ntf.constant(X)",
        "float32",
        False,
        id="an array built from a list display, read twice",
    ),
    # a float array (of one dimension or more) with a Python number keeps its dtype
    pytest.param(
        "k = 3.0\ntf.constant(k * np.ones(3, dtype=np.float32))",
        "float32",
        False,
        id="python float times float32 array",
    ),
    pytest.param("tf.constant(np.ones(3, np.float32) / 3)", "float32", False, id="divided by int"),
    pytest.param(
        "tf.constant(2 ** np.arange(3, dtype=np.float32))", "float32", False, id="int ** array"
    ),
    pytest.param(
        "tf.constant(np.zeros((2, 3), np.float16) - 1.5)", "float16", False, id="float16 minus"
    ),
    pytest.param(
        "tf.constant(np.random.rand(2, 3) * 255)", "float64", False, id="random images scaled"
    ),
    pytest.param(
        "tf.constant(np.random.normal(0, 1, size=4) / 2)", "float64", False, id="normal, size="
    ),
    pytest.param(
        "tf.constant(np.array([1.5, 2.5], np.float32).reshape(2, 1) * 2)",
        "float32",
        False,
        id="reshape to a literal shape, then arithmetic",
    ),
    # NumPy ufuncs of Python numbers, math functions, repeated lists
    pytest.param("tf.constant(np.log(1.0 / 3))", "float64", False, id="np.log of a float"),
    pytest.param("tf.constant(np.exp(2))", "float64", False, id="np.exp of an int"),
    pytest.param("tf.constant(np.sqrt([1, 4]))", "float64", False, id="np.sqrt of a list"),
    pytest.param("tf.constant(math.sqrt(10.0))", "float32", False, id="math.sqrt"),
    pytest.param("tf.constant(math.floor(2.5))", "int32", False, id="math.floor is an int"),
    pytest.param(
        "tf.constant([math.log(2), math.exp(1)])", "float32", False, id="math functions in a list"
    ),
    pytest.param("tf.constant([2.0] * 3)", "float32", False, id="repeated float list"),
    pytest.param("tf.constant([1, 2] * 2)", "int32", False, id="repeated int list"),
    pytest.param("tf.constant([1.0] + [2, 3])", "float32", False, id="concatenated lists"),
    pytest.param("tf.constant((1.0, 2.0) + (3,))", "float32", False, id="concatenated tuples"),
    pytest.param(
        "xs = [1, 2]\ntf.constant([0.5, 1] * len(xs))",
        "float32",
        False,
        id="float list repeated by len()",
    ),
    pytest.param(
        "n = int('0')\ntf.constant([1.5, 2] * n)",
        "float32",
        False,
        id="float list repeated zero times is float32 too",
    ),
]

UNKNOWN = [
    pytest.param("def f(a):\n    return tf.constant(a)", id="function parameter"),
    pytest.param("tf.constant(undefined_name)", id="unbound name"),
    pytest.param("import cfg\ntf.constant(cfg.MEAN)", id="attribute"),
    pytest.param("def g():\n    return [1.0]\ntf.constant(g())", id="call into user code"),
    pytest.param("tf.constant(tf.ones(2))", id="tensor"),
    pytest.param("v = tf.Variable([1.0])\ntf.constant(v)", id="variable"),
    pytest.param("tf.constant(np.asarray(x))", id="np.asarray of unknown"),
    pytest.param("tf.constant(np.sum(np.ones(2)))", id="numpy reduction"),
    pytest.param("tf.constant(2**63)", id="int beyond int64 raises"),
    pytest.param("tf.constant(1e300)", id="float beyond float32 raises"),
    pytest.param("tf.constant([True, 1])", id="bool and int mix raises"),
    pytest.param("tf.constant([1, 'a'])", id="int and str mix raises"),
    pytest.param("tf.constant([1, 1 + 2j])", id="int and complex mix raises"),
    pytest.param("tf.constant([[1, 2], [3]])", id="ragged raises"),
    pytest.param("tf.constant(None)", id="None raises"),
    pytest.param("def f(dtype):\n    return tf.constant(dtype(1e-8))", id="parametrised dtype"),
    pytest.param("tf.constant(np.float32(2) * 0.5)", id="numpy scalar arithmetic NEP 50"),
    pytest.param("tf.constant([np.float32(1), np.float64(2)])", id="mixed numpy floats"),
    pytest.param("tf.constant(np.int_(3))", id="np.int_ is C long"),
    pytest.param("tf.constant(np.linspace(0, 1, retstep=True))", id="linspace retstep"),
    pytest.param("tf.constant(np.ones(2, dtype='f4'))", id="dtype code string"),
    pytest.param("X = [1.0]\nX = [1]\ntf.constant(X)", id="rebound name"),
    pytest.param("X = [1.0]\nX += [2]\ntf.constant(X)", id="augmented name"),
    pytest.param("X = [1.0]\nX.append(2**40)\ntf.constant(X)", id="mutated list"),
    pytest.param(
        "X = [1.0]\ndef f():\n    global X\n    X = 'a'\ntf.constant(X)",
        id="rebound through global",
    ),
    pytest.param("X = [1.0]\nY = [X]\ntf.constant(X)", id="aliased list"),
    pytest.param("from cfg import *\nX = [1.0]\ntf.constant(X)", id="star import may rebind"),
    pytest.param("for X in ([1.0],):\n    tf.constant(X)", id="loop variable"),
    pytest.param("class C:\n    X = [1.0]\n    T = tf.constant(X)", id="class attribute"),
    pytest.param("tf.constant([x for x in range(3)])", id="comprehension"),
    pytest.param("tf.constant([*range(3)])", id="starred element"),
    pytest.param("A = np.zeros(2)\nA.dtype = np.int64\ntf.constant(A)", id="dtype reassigned"),
    pytest.param("tf.constant(np.random.rand())", id="rand without dims is a Python float"),
    pytest.param("tf.constant(np.random.rand() * 255)", id="a Python float scaled"),
    pytest.param("tf.constant(np.random.normal(size=()) * 2)", id="0-d random array scaled"),
    pytest.param("tf.constant(np.random.uniform(0, 1))", id="uniform without size"),
    pytest.param("tf.constant(np.random.normal(size=None))", id="normal with size None"),
    pytest.param("def f(n):\n    return tf.constant(np.random.random(n))", id="size unknown"),
    pytest.param("tf.constant(np.random.randint(5))", id="randint without size is a Python int"),
    pytest.param("float = int\ntf.constant(float('1'))", id="float shadowed"),
    pytest.param("np = 1\ntf.constant(np.zeros(2))", id="numpy name shadowed"),
    pytest.param("tf.constant(np.ones((), np.float32) * 2.0)", id="0-d array arithmetic"),
    pytest.param("tf.constant(np.zeros(3)[0] * 2.0)", id="NumPy scalar element arithmetic"),
    pytest.param("tf.constant(np.zeros(3).reshape(()) * 2.0)", id="reshaped to 0-d"),
    pytest.param("tf.constant(np.arange(4) * 2)", id="int array arithmetic NEP 50"),
    pytest.param("tf.constant(np.ones(3, np.float16) * 1e5)", id="number beyond float16"),
    pytest.param("tf.constant(np.ones(3, np.float32) * np.float64(2))", id="NumPy scalar k"),
    pytest.param("def f(k):\n    return tf.constant(k * np.ones(3, np.float32))", id="k unknown"),
    pytest.param("def f(n):\n    return tf.constant([2.0] * n)", id="repeat count unknown"),
    pytest.param("tf.constant([1, 2] * len(x))", id="int list repeated: int32 or empty float32"),
    pytest.param("tf.constant([0.5] * 2.0)", id="list times float raises"),
    pytest.param("tf.constant(images.astype(np.float32))", id="astype on an unknown value"),
    pytest.param("tf.constant(np.load('a.npy').astype(np.float32))", id="np.load may unpickle"),
    pytest.param("tf.constant(math.sqrt(-1.0))", id="math domain error"),
    pytest.param("tf.constant(math.exp(1000))", id="math overflow"),
    pytest.param("tf.constant(np.log(True))", id="ufunc of a bool is float16"),
    pytest.param("tf.constant(np.log(np.float32(2)))", id="ufunc of a NumPy scalar"),
    pytest.param("tf.constant([1, 2][0])", id="indexing a Python list"),
    pytest.param("tf.constant((1.0,) + [2.0])", id="tuple plus list raises"),
    pytest.param("X = (1.0,)\nY = [2.0]\ntf.constant(X + Y)", id="names concatenated"),
    pytest.param("tf.constant(np.ones(2, np.float32) * 2**100)", id="int beyond int64"),
    pytest.param("X = np.array([1.0, 2.0])\nY = X\ntf.constant(X)", id="array aliased"),
    pytest.param("X = np.array([1.0])\nf(X)\ntf.constant(X)", id="array handed to user code"),
]


class _Probe(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (ScopeProvider, QualifiedNameProvider, ParentNodeProvider)

    def __init__(self) -> None:
        super().__init__()
        self.found: list[DtypeInfo] = []

    def visit_Call(self, node: cst.Call) -> None:
        if is_call_to(self, node, "tensorflow.constant"):
            self.found.append(infer_dtype(self, node.args[0].value))


def infer(src: str) -> DtypeInfo:
    probe = _Probe()
    MetadataWrapper(cst.parse_module(_PRELUDE + src)).visit(probe)
    return probe.found[-1]


@pytest.mark.parametrize(("src", "dtype", "platform_dependent"), KNOWN)
def test_known_dtype(src: str, dtype: str, platform_dependent: bool) -> None:
    info = infer(src)
    assert (info.dtype, info.platform_dependent) == (dtype, platform_dependent), info.reason


@pytest.mark.parametrize("src", UNKNOWN)
def test_unknown_with_reason(src: str) -> None:
    info = infer(src)
    assert info.dtype is None and info.reason


def test_numpy_float64_marks_only_numpy_data() -> None:
    assert infer("tf.constant(np.zeros(2))").numpy_float64
    assert infer("tf.constant([np.float64(1.0)])").numpy_float64
    assert not infer("tf.constant([1.0])").numpy_float64


_RUNNER = """
import json, sys
results = []
for src in json.loads(sys.stdin.read()):
    lines = src.splitlines()
    lines[-1] = "RESULT = " + lines[-1].strip() if not lines[-1].startswith(" ") else lines[-1]
    scope = {}
    try:
        exec("\\n".join(lines), scope)
        results.append(scope["RESULT"].dtype.name)
    except Exception as exc:
        results.append("raises " + type(exc).__name__)
print(json.dumps(results))
"""


@pytest.mark.tensorflow
def test_every_known_row_matches_tensorflow() -> None:
    """Execute each row whose inference gives a dtype; TF must infer exactly that dtype."""
    rows = [p.values for p in KNOWN]
    sources = [_PRELUDE + _result_form(src) for src, _, _ in rows]
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_RUNNER)],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    actual = json.loads(proc.stdout.strip().splitlines()[-1])
    expected = [infer(src).dtype for src, _, _ in rows]
    mismatches = [
        (src, e, a) for (src, _, _), e, a in zip(rows, expected, actual, strict=True) if e != a
    ]
    assert not mismatches


def _result_form(src: str) -> str:
    """Make the probed call the module's last statement, assignable as RESULT."""
    if src.startswith("def f():"):
        return src + "\nf()"
    return src
