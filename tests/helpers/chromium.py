"""A small client of headless Chromium over the DevTools protocol, for the HTML page's tests
and its benchmark, with no dependency beyond the standard library.

Chromium is started with ``--remote-debugging-pipe``: it reads commands from its fd 3 and
writes replies and events to its fd 4, each message one JSON object ended by a NUL byte.
:class:`Chromium` opens one page (a target attached in flat mode), sends commands to it and
keeps every event it receives, so a test can ask afterwards what the page logged, threw or
requested.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

BINARY = "/usr/bin/chromium"
#: Names another Chromium to drive (a path or a command name).
CHOOSE = "AIPOLICY_CHROMIUM"
#: Set (to 1) where Chromium must be present: the tests then fail instead of skipping.
REQUIRE = "AIPOLICY_REQUIRE_CHROMIUM"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe")
TIMEOUT = 30.0


def binary() -> str | None:
    """The Chromium to drive, or None when there is none."""
    chosen = os.environ.get(CHOOSE)
    if chosen is not None:
        return shutil.which(chosen)
    return shutil.which(BINARY) or shutil.which("chromium")


class ChromiumError(RuntimeError):
    """Chromium answered a command with an error, or did not answer in time."""


class Chromium:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, executable: str, *, width: int = 1200, height: int = 900) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-")
        to_child, from_parent = os.pipe()
        from_child, to_parent = os.pipe()
        # out of the way of fds 3 and 4, which the child's copies are moved onto
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_child, to_parent)]
        for fd in (to_child, to_parent):
            os.close(fd)

        def onto_3_and_4() -> None:
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self._proc = subprocess.Popen(  # the fds must be 3 and 4: hence preexec_fn
            [executable, *FLAGS, f"--user-data-dir={self._profile.name}",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=onto_3_and_4)
        for fd in high:
            os.close(fd)
        self._out = os.fdopen(from_parent, "wb", buffering=0)
        self._in = os.fdopen(from_child, "rb", buffering=0)
        self._next = 0
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.events: list[dict[str, Any]] = []
        self._event = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        target = self.call("Target.createTarget", {"url": "about:blank"}, browser=True)
        attached = self.call("Target.attachToTarget",
                             {"targetId": target["targetId"], "flatten": True}, browser=True)
        self._session: str = attached["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")

    def _read(self) -> None:
        buffer = b""
        while True:
            chunk = self._in.read(65536)
            if not chunk:
                with self._event:
                    self._event.notify_all()
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        box = self._replies.get(message["id"])
                    if box is not None:
                        box.put(message)
                else:
                    with self._event:
                        self.events.append(message)
                        self._event.notify_all()

    def call(self, method: str, params: dict[str, Any] | None = None, *,
             browser: bool = False, timeout: float = TIMEOUT) -> dict[str, Any]:
        """Send one command (to the page unless ``browser``) and return its result."""
        with self._lock:
            self._next += 1
            ident = self._next
            box: queue.Queue[dict[str, Any]] = queue.Queue()
            self._replies[ident] = box
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if not browser:
            message["sessionId"] = self._session
        self._out.write(json.dumps(message).encode() + b"\0")
        try:
            reply = box.get(timeout=timeout)
        except queue.Empty:
            raise ChromiumError(f"{method}: no answer in {timeout} s") from None
        finally:
            with self._lock:
                del self._replies[ident]
        if "error" in reply:
            raise ChromiumError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def wait_for(self, method: str, since: int = 0, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The first event ``method`` at or after index ``since`` of :attr:`events`."""
        deadline = time.monotonic() + timeout
        with self._event:
            while True:
                for event in self.events[since:]:
                    if event.get("method") == method:
                        return event
                left = deadline - time.monotonic()
                if left <= 0 or self._proc.poll() is not None:
                    raise ChromiumError(f"no {method} event in {timeout} s")
                self._event.wait(left)

    def open(self, url: str) -> float:
        """Navigate to ``url`` and wait for its load event; the seconds that took."""
        since = len(self.events)
        start = time.perf_counter()
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired", since)
        return time.perf_counter() - start

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited if a promise)."""
        result = self.call("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise ChromiumError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def named(self, *methods: str) -> list[dict[str, Any]]:
        """The events so far of any of ``methods``."""
        with self._event:
            return [e for e in self.events if e.get("method") in methods]

    def screenshot(self, path: Path, *, width: int, height: int) -> None:
        """A PNG of the page's top ``width`` × ``height`` pixels."""
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        shot = self.call("Page.captureScreenshot", {"format": "png", "fromSurface": True})
        path.write_bytes(base64.b64decode(shot["data"]))

    def pdf(self) -> bytes:
        """The page printed to PDF, on A4."""
        printed = self.call("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69,
                                                "printBackground": True,
                                                "preferCSSPageSize": True}, timeout=120)
        return base64.b64decode(printed["data"])

    def close(self) -> None:
        with contextlib.suppress(ChromiumError, OSError):
            self.call("Browser.close", browser=True, timeout=5)
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._out.close()
        self._reader.join(timeout=5)
        self._in.close()
        self._profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
