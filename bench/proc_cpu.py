"""CPU seconds of a group of processes and everything they start (Linux /proc).

`getrusage(RUSAGE_CHILDREN)` misses processes that are not waited for by a waited-for
parent (a forkserver's pool workers, for one), so a thread samples /proc every `step`
seconds and keeps each descendant's last user+system time. A process that ends between
two samples loses at most `step` seconds of its count; the PostgreSQL server's own CPU is
not counted (it is not a descendant).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read().decode(errors="replace")
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


class CpuMeter:
    """Use as `with CpuMeter() as m: ... m.watch(pid) ...`; then `m.seconds`."""

    def __init__(self, step: float = 0.2) -> None:
        self.step = step
        self.roots: set[int] = set()
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, pid: int) -> None:
        self.roots.add(pid)

    def _sample(self) -> None:
        parents: dict[int, int] = {}
        cpu: dict[int, float] = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                st = _stat(int(name))
                if st is not None:
                    parents[int(name)], cpu[int(name)] = st
        for pid, seconds in cpu.items():
            p, hops = pid, 0
            while p and p not in self.roots and hops < 20:
                p, hops = parents.get(p, 0), hops + 1
            if p in self.roots:
                self.last[pid] = max(seconds, self.last.get(pid, 0.0))

    def _run(self) -> None:
        while not self._stop.wait(self.step):
            self._sample()

    def __enter__(self) -> CpuMeter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.last.values())


def stop(procs: list[subprocess.Popen], timeout: float) -> None:
    """SIGTERM to every process (workers finish their job and take their parsing processes
    down with them), then wait up to `timeout` seconds for each; kill one that is still there."""
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
