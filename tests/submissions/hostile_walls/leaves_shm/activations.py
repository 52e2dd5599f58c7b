# Leaves files in /dev/shm and /tmp and a System V shared memory segment behind.
import ctypes
import os

import numpy as np


def relu(x):
    return np.maximum(0, x)


for folder in ("/dev/shm", "/tmp"):
    try:
        with open(f"{folder}/bplab_residue_{os.getpid()}", "w") as f:
            f.write("left behind")
    except OSError:
        pass
try:
    ctypes.CDLL(None).shmget(0x42504C42, 4096, 0o1000 | 0o666)  # IPC_CREAT
except Exception:
    pass
