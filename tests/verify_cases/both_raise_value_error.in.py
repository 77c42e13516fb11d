import numpy as np
import tensorflow as tf


def main():
    return np.reshape(np.arange(4), (3, 2))
