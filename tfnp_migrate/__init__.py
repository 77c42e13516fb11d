"""tfnp-migrate: find and rewrite the places where NumPy and TensorFlow collide.

Importing this package is cheap: it never imports TensorFlow or NumPy.
"""

__version__ = "0.1.0"
