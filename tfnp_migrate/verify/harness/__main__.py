"""Entry point of a verification worker process: `python -m tfnp_migrate.verify.harness`."""

from tfnp_migrate.verify.harness import serve

serve()
