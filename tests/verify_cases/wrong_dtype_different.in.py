import numpy as np
import tensorflow as tf


def main():
    return tf.constant(np.array([1.5, 2.5]))
