"""Verification by execution: run fixture pairs before and after in worker processes and compare.

Only the `harness` subpackage (run inside the worker processes) imports numpy or tensorflow.
"""

from tfnp_migrate.verify.render import exit_code, render
from tfnp_migrate.verify.run import CaseResult, VerifyReport, run_verify, verify_cases

__all__ = ["CaseResult", "VerifyReport", "exit_code", "render", "run_verify", "verify_cases"]
