"""``sscard run-all``'s supervisor, with real (cheap) child processes: a killed child comes back, Ctrl-C
leaves nothing running, a crash-looping child stops everything with a message."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

WAIT = 30  # seconds: an upper bound for a slow shared machine, not a speed check


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


class Running:
    """The supervisor in a subprocess; its console lines arrive on a queue."""

    def __init__(self, children: dict[str, str], **options):
        script = textwrap.dedent(f"""
            import sys
            from sscard.supervisor import Supervisor
            children = [(name, [sys.executable, "-c", code]) for name, code in {children!r}.items()]
            sys.exit(Supervisor(children, **{options!r}).run())
        """)
        self.process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def expect(self, pattern: str) -> re.Match:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found
        pytest.fail(f"no line matching {pattern!r}; got {self.seen}")

    def started(self, name: str) -> int:
        return int(self.expect(rf"\] {name} 已启动 / started \(pid (\d+)\)").group(1))


SLEEPER = "import time; time.sleep(600)"


def test_a_killed_child_is_restarted_and_ctrl_c_leaves_no_process_behind(tmp_path):
    grandchild_file = tmp_path / "grandchild"
    # Like gunicorn: a child with a process of its own, and deaf to SIGTERM (so the supervisor must SIGKILL).
    stubborn = (
        "import signal, subprocess, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        f"p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); "
        f"open({str(grandchild_file)!r}, 'w').write(str(p.pid)); time.sleep(600)"
    )
    run = Running({"worker": SLEEPER, "web": stubborn}, stop_timeout=2)
    try:
        worker, web = run.started("worker"), run.started("web")
        os.kill(worker, signal.SIGKILL)
        assert "意外退出" in run.expect(r"\] worker 意外退出.*SIGKILL.*restarting in").group(0)
        again = run.started("worker")
        assert again != worker and alive(again)
        deadline = time.monotonic() + WAIT
        while not grandchild_file.exists() or not grandchild_file.read_text():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        grandchild = int(grandchild_file.read_text())

        run.process.send_signal(signal.SIGINT)
        assert run.process.wait(timeout=WAIT) == 0
        for pid in (worker, again, web, grandchild):
            assert not alive(pid), pid
    finally:
        if run.process.poll() is None:
            run.process.kill()


def test_a_crash_looping_child_stops_everything_and_says_so():
    run = Running({"scheduler": "import sys; sys.exit(1)", "web": SLEEPER}, max_restarts=2, stop_timeout=2)
    try:
        web = run.started("web")
        run.expect(r"scheduler 在 \d+ 秒内崩溃 3 次，不再重启")
        assert run.process.wait(timeout=WAIT) == 1
        assert not alive(web)
    finally:
        if run.process.poll() is None:
            run.process.kill()


def test_a_child_refusing_its_configuration_is_not_restarted():
    run = Running({"worker": "import sys; sys.exit(2)", "web": SLEEPER}, stop_timeout=2)
    try:
        run.expect(r"worker 因配置错误无法启动")
        assert run.process.wait(timeout=WAIT) == 1
        assert not any("worker 意外退出" in line for line in run.seen)
    finally:
        if run.process.poll() is None:
            run.process.kill()


def test_run_all_supervises_the_three_services():
    from sscard.supervisor import service_children

    names = {name: argv[3:] for name, argv in service_children("python")}
    assert names == {"web": ["serve"], "worker": ["worker", "--queue-name", "*", "--interval", "1"],
                     "scheduler": ["scheduler"]}
