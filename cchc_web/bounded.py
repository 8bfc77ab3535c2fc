"""Run one function in a child process with a hard time and memory limit.

Reading an uploaded file goes through readers that check their own deadline, but the
later stages (interpreting a huge table, the narrative of one 100 MB paragraph) and any
parser bug can still run for minutes or take gigabytes, and then gunicorn kills the worker
and the officer sees a broken connection. In a forked child, the work can always be
stopped: after `seconds` it is killed, and its address space is capped at `memory_mb`
(a MemoryError inside it). Either way the caller gets `Bounded` with the reason and the
worker lives on, its memory untouched by what the child allocated.

The child must not use the database: it inherits the parent's connections (fork), so the
caller passes everything it needs as arguments and gets back a plain, picklable result.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any


class Bounded(Exception):
    """The child ran out of time (`reason` "time") or memory ("memory"), or crashed
    ("crash", with the child's traceback in `detail`)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def _child(conn: Connection, memory_mb: int, fn: Callable[..., Any], args: tuple[Any, ...]
           ) -> None:
    try:
        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        conn.send(("ok", fn(*args)))
    except MemoryError:
        conn.send(("memory", ""))
    except BaseException as error:  # an exception the caller may want back as it is
        try:
            conn.send(("raise", error))
        except Exception:  # not picklable: send its text
            conn.send(("crash", traceback.format_exc()))
    finally:
        conn.close()
        os._exit(0)  # no atexit handlers, no flush of the parent's buffers or connections


def run(fn: Callable[..., Any], *args: Any, seconds: float, memory_mb: int) -> Any:
    """`fn(*args)` in a forked child; its result, or its exception raised again here."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(send, memory_mb, fn, args), daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise Bounded("time")
        try:
            kind, value = receive.recv()
        except EOFError:
            raise Bounded("crash", f"exit code {process.exitcode}") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receive.close()
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    raise Bounded(kind, value)
