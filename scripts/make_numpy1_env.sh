#!/usr/bin/env bash
# The "before" environment of a NumPy 1 -> 2 migration: TensorFlow 2.15.1 (CPU) with NumPy
# 1.26.4, in its own virtualenv (TF 2.15 ships wheels for Python 3.9-3.11 only; PYTHON picks
# the interpreter). About 600 MB; a minute or two from the package index.
#
#   bash scripts/make_numpy1_env.sh
#   tfnp-migrate verify --before-python ~/.cache/tfnp-migrate-envs/tf215-np126/bin/python DIR
#
# tests/test_verify_environments.py (marked slow) runs when the environment exists.
set -euo pipefail
target="${TFNP_NUMPY1_ENV:-${XDG_CACHE_HOME:-$HOME/.cache}/tfnp-migrate-envs/tf215-np126}"
"${PYTHON:-python3}" -m venv "$target"
"$target/bin/pip" install -q "tensorflow-cpu==2.15.1" "numpy==1.26.4"
"$target/bin/python" -c "import numpy, tensorflow; print('numpy', numpy.__version__, 'tensorflow', tensorflow.__version__)"
echo "$target/bin/python"
