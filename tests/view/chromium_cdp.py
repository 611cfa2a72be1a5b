"""A headless Chromium driven over the Chrome DevTools Protocol, for the viewer's browser tests.

Why not Playwright: its Python package pins one Chromium revision and downloads it, which this
project's machines cannot do, and driving the Debian package's newer Chromium with it is
unsupported. The few CDP commands the tests need (navigate, evaluate, click, screenshot) are
stable across Chromium versions, so a small client over `websocket-client` is the sturdier choice.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import websocket

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The Chromium executable: $GOVDISCLOSURE_CHROMIUM, else the first candidate on PATH."""
    if os.environ.get("GOVDISCLOSURE_CHROMIUM"):
        return os.environ["GOVDISCLOSURE_CHROMIUM"]
    return next((path for name in _CANDIDATES if (path := shutil.which(name))), None)


class Chromium:
    """One headless browser with one page; `close` ends the process it started."""

    def __init__(self, executable: str, width: int = 1400, height: int = 900, timeout: float = 30):
        self._profile = tempfile.TemporaryDirectory(prefix="gd-chromium-")
        self._ids = itertools.count(1)
        self._events: list[dict] = []
        self.timeout = timeout
        self.process = subprocess.Popen(
            [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--hide-scrollbars", "--remote-debugging-port=0",
             f"--user-data-dir={self._profile.name}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not start its DevTools endpoint")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        self._ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=timeout,
                                               suppress_origin=True)
        target = self.call("Target.createTarget", url="about:blank", session=False)["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True,
                                  session=False)["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=False)

    def call(self, method: str, session: bool = True, **params) -> dict:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        message = {"id": next(self._ids), "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        self._ws.send(json.dumps(message))
        while True:
            reply = json.loads(self._ws.recv())
            if reply.get("id") == message["id"]:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def wait_event(self, method: str) -> dict:
        """The next event `method` (already received or arriving within the timeout)."""
        deadline = time.monotonic() + self.timeout
        while True:
            for k, event in enumerate(self._events):
                if event.get("method") == method:
                    return self._events.pop(k)
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self._events.append(json.loads(self._ws.recv()))

    def open(self, url: str) -> None:
        """Navigate and wait for the load event."""
        self._events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def eval(self, expression: str):
        """The value of a JavaScript expression (promises awaited); script errors raise."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("exception", {}).get("description", "script error"))
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        """A real left click at viewport coordinates (as a user's mouse would send it)."""
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))

    def close(self) -> None:
        try:
            if getattr(self, "_ws", None) is not None:
                try:
                    self.call("Browser.close", session=False)
                except (RuntimeError, OSError, websocket.WebSocketException):
                    pass
                self._ws.close()
        finally:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self._profile.cleanup()
