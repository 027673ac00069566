"""``sscard run-all``: start the web server, the task worker and the scheduler, and keep them running.

A child that dies is started again after a short pause that doubles while it keeps dying (1, 2, 4 … 30 s) and
is forgotten once it has stayed up for a while; one that dies MAX_RESTARTS times within WINDOW seconds is
crash-looping, and the supervisor stops everything and says so rather than spin. A child that exits with 2 has
refused its configuration (``sscard`` says what is wrong) and is not restarted. Ctrl-C or SIGTERM stops every
child: each runs in its own process group (gunicorn's workers with it), gets SIGTERM, and whatever is still
alive after STOP_TIMEOUT seconds gets SIGKILL, so nothing is left behind. On Linux each child is also told to
receive SIGTERM should the supervisor itself be killed.

Plain Python, no Django: the supervisor must keep running whatever state the application is in. (A separate
process manager such as supervisord or honcho would do the same job but is one more thing to install and
configure for a demo that must start with one command; production runs each process under systemd.)
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

MAX_RESTARTS = 5
WINDOW = 120.0  # seconds
STABLE_AFTER = 30.0  # seconds up after which a child's back-off starts again at the first step
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
STOP_TIMEOUT = 15.0
CONFIG_REFUSED = 2  # `sscard` exits with 2 when its start-up configuration is wrong
POLL = 0.2


def _die_with_parent() -> None:
    """In the child before exec: its own process group, and SIGTERM if the supervisor dies (Linux prctl)."""
    os.setsid()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _how(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name
        return f"信号 {name} / signal {name}"
    return f"退出码 {code} / exit code {code}"


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    backoff: float = BACKOFF_FIRST
    deaths: deque = field(default_factory=deque)


class Supervisor:
    def __init__(
        self,
        children: Sequence[tuple[str, list[str]]],
        *,
        max_restarts: int = MAX_RESTARTS,
        window: float = WINDOW,
        stop_timeout: float = STOP_TIMEOUT,
        say: Callable[[str], None] | None = None,
    ):
        self.children = [Child(name, list(argv)) for name, argv in children]
        self.max_restarts = max_restarts
        self.window = window
        self.stop_timeout = stop_timeout
        self.say = say or (lambda text: print(text, flush=True))
        self.stopping = False

    # --- signals: only set a flag; the loop does the work
    def _on_signal(self, signum, frame) -> None:
        self.stopping = True

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv, preexec_fn=_die_with_parent)  # setsid + prctl before exec
        child.started_at = time.monotonic()
        child.restart_at = None
        self.say(f"[supervisor] {child.name} 已启动 / started (pid {child.process.pid})")

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        for child in self.children:
            self.start(child)
        status = 0
        while not self.stopping:
            failure = self._tend()
            if failure:
                self.say(failure)
                status = 1
                break
            time.sleep(POLL)
        self.stop_all()
        return status

    def _tend(self) -> str | None:
        """One look at every child: restart the dead when due. Returns a message when it is time to give up."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self.start(child)
                continue
            code = child.process.poll()
            if code is None:
                continue
            if code == CONFIG_REFUSED:
                return (f"[supervisor] {child.name} 因配置错误无法启动（见上方说明），全部服务已停止。"
                        f" / {child.name} refused its configuration (see above); stopping everything.")
            if now - child.started_at >= STABLE_AFTER:
                child.backoff = BACKOFF_FIRST
            child.deaths.append(now)
            while child.deaths and now - child.deaths[0] > self.window:
                child.deaths.popleft()
            if len(child.deaths) > self.max_restarts:
                return (f"[supervisor] {child.name} 在 {self.window:.0f} 秒内崩溃 {len(child.deaths)} 次，不再重启，"
                        f"全部服务已停止；请查看上方日志。 / {child.name} crashed {len(child.deaths)} times in "
                        f"{self.window:.0f} s; giving up and stopping everything. See the log above.")
            self.say(f"[supervisor] {child.name} 意外退出（{_how(code)}），{child.backoff:g} 秒后重启。"
                     f" / {child.name} exited unexpectedly; restarting in {child.backoff:g} s.")
            child.restart_at = now + child.backoff
            child.backoff = min(child.backoff * 2, BACKOFF_MAX)
        return None

    def stop_all(self) -> None:
        """SIGTERM to every child's process group, then SIGKILL to what is left after stop_timeout."""
        self.say("[supervisor] 正在停止全部服务… / stopping all processes…")
        running = [c for c in self.children if c.process is not None and c.restart_at is None]
        for child in running:
            self._signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"[supervisor] {child.name} 未按时退出，强制结束。 / {child.name} did not stop; killing it.")
        for child in running:  # the group too: a gunicorn worker outliving its master, say
            self._signal_group(child, signal.SIGKILL)
            child.process.wait()

    @staticmethod
    def _signal_group(child: Child, signum: int) -> None:
        try:
            os.killpg(child.process.pid, signum)
        except ProcessLookupError:
            pass


def service_children(python: str = sys.executable) -> list[tuple[str, list[str]]]:
    """What `make run` keeps running: the web server, the task worker (all queues) and the scheduler."""
    sscard = [python, "-m", "sscard.cli"]
    return [
        ("web", [*sscard, "serve"]),
        ("worker", [*sscard, "worker", "--queue-name", "*", "--interval", "1"]),
        ("scheduler", [*sscard, "scheduler"]),
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="sscard run-all",
        description="Start the web server, task worker and scheduler; restart one that dies; Ctrl-C stops all.",
    )
    parser.parse_args(argv)
    return Supervisor(service_children()).run()
