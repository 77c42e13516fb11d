# tfnp-migrate: --unsafe --numpy-from 1
import numpy as np
import tensorflow as tf


def main():
    # int64 on NumPy 1, int8 on NumPy 2
    delta = tf.constant(np.int8(5) - 3)
    return delta, delta.dtype
