# tfnp-migrate: --unsafe --numpy-from 1
import numpy as np
import tensorflow as tf


def main():
    counter = tf.Variable(np.uint16(40000) * 1)
    return counter.numpy(), counter.dtype
