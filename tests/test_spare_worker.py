"""The fork server forks each worker one submission ahead (graders.student.zygote.ForkServer.spawn):
the worker handed out is the one forked before, a spare that ended is never handed out, and
closing the server ends the spare."""
from __future__ import annotations

import os
import select
import signal
import time

import pytest

from graders import ROOT
from graders.student import protocol
from graders.student.levels import requested_level
from graders.student.zygote import ForkServer


@pytest.fixture
def server():
    made = ForkServer(ROOT, [], requested_level())
    yield made
    made.close()


def answers(sock) -> bool:
    """Whether the worker behind ``sock`` loads a cell and answers a request on it."""
    protocol.send(sock, {"op": "load", "cells": [[0, "x = 41 + 1"]], "module": "m"})
    loaded, _ = protocol.recv(sock, timeout=10)
    protocol.send(sock, {"op": "has", "fields": {"d": [["name", "x"]]}})
    reply, _ = protocol.recv(sock, timeout=10)
    return bool(loaded.get("ok")) and reply.get("value") is True


def closed(sock, within: float = 10.0) -> bool:
    """Whether the other end of ``sock`` closes within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if select.select([sock], [], [], 0.1)[0]:
            return sock.recv(1) == b""
    return False


def end(server: ForkServer, worker) -> None:
    server._discard(worker)


def test_the_worker_handed_out_is_the_one_forked_ahead(server):
    """Does spawn() hand out the spare forked by the call before, and fork the next one, from the
    second call on (a single grade forks no worker it will not use)?"""
    first = server.spawn()
    assert server._spare is None
    second = server.spawn()
    spare = server._spare
    assert spare is not None and spare[0] not in (first[0], second[0])
    third = server.spawn()
    assert third[0] == spare[0]
    assert server._spare is not None and server._spare[0] not in (first[0], second[0], third[0])
    assert all(answers(w[1]) for w in (first, second, third))
    for worker in (first, second, third):
        end(server, worker)


def test_a_spare_that_ended_is_replaced_not_handed_out(server):
    """Is a spare whose process ended replaced by a fresh, working worker?"""
    end(server, server.spawn())
    end(server, server.spawn())
    pid, sock = server._spare
    os.kill(pid, signal.SIGKILL)
    watch = os.dup(sock.fileno())  # the spare's socket, seen from here once spawn() closes its own
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not select.select([watch], [], [], 0.1)[0]:
            pass
        worker = server.spawn()
        assert worker[0] != pid
        assert answers(worker[1])
        end(server, worker)
    finally:
        os.close(watch)


def test_closing_the_server_ends_its_spare(server):
    """Does close() end the worker kept ahead (no worker outlives its server)?"""
    end(server, server.spawn())
    end(server, server.spawn())
    _, sock = server._spare
    watch = sock.dup()
    try:
        server.close()
        assert closed(watch)
    finally:
        watch.close()
