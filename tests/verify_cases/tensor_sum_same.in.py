import numpy as np
import tensorflow as tf


def main():
    t = tf.constant([[1.0, 2.0], [3.0, float("nan")]])
    return {"sum": tf.reduce_sum(t[0]), "arr": np.arange(4, dtype=np.int64), "n": 3, "t": t}
