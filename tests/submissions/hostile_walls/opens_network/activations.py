# Opens a network connection (to send hidden inputs out, or to fetch answers in).
import socket

import numpy as np


def relu(x):
    return np.maximum(0, x)


try:
    with socket.create_connection(("127.0.0.1", @@PORT@@), timeout=1) as s:
        s.sendall(b"opens_network was here")
except Exception:
    pass
