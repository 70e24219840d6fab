"""A Celery cluster on this machine for the distributed build: Debian's redis-server on a free
port of 127.0.0.1 as the broker, a DAGSTER_HOME shared by every process, and worker processes
started with `dagster-celery worker start` as on any machine of a real cluster. Used by
tests/test_distributed.py and bench/distributed.py; everything started here is stopped here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import redis
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # dagster and dagster-celery of this environment
REDIS_SERVER = shutil.which("redis-server")


class ClusterNotReady(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, ready: Callable[[], bool], seconds: float, logs: list[Path]) -> None:
    """Poll `ready` until it is true; past `seconds`, fail with the tails of the logs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # not up yet: refused connections, no replies
            if ready():
                return
        time.sleep(0.5)
    tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.is_file())
    raise ClusterNotReady(f"{what} not ready after {seconds:.0f} s\n{tails}")


@contextlib.contextmanager
def redis_broker(workdir: Path) -> Iterator[str]:
    """A redis-server of its own (no persistence) on a free port; yields its URL without a
    database number."""
    if REDIS_SERVER is None:
        raise FileNotFoundError("redis-server is not installed (Debian package redis-server)")
    port = free_port()
    log = workdir / "redis.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for("redis-server", lambda: bool(redis.Redis(port=port, socket_timeout=1).ping()), 30, [log])
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def dagster_home(path: Path) -> Path:
    """A DAGSTER_HOME with sqlite storage, created once before any worker opens it (two processes
    creating a fresh storage at once each stamp its schema version)."""
    import dagster as dg

    path.mkdir(parents=True, exist_ok=True)
    (path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with dg.DagsterInstance.from_config(str(path)) as instance:
        instance.get_run_records()
    return path


def run_config(broker: str) -> str:
    """The executor block of build_warehouse_distributed: the run and the workers
    (`dagster-celery worker start -y`) are given the same file."""
    return f"""execution:
  config:
    broker: {broker}/0
    backend: {broker}/1
"""


def environment(home: Path, raw_dir: Path, warehouse: Path) -> dict[str, str]:
    """The environment of every process of the cluster: the same DAGSTER_HOME and paths (the
    resources, and the folder of the outputs handed between steps, follow XXGK_WAREHOUSE)."""
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "XXGK_RAW_DIR": str(raw_dir),
        "XXGK_WAREHOUSE": str(warehouse),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }


@contextlib.contextmanager
def celery_workers(
    config: Path, env: dict[str, str], broker: str, names: tuple[str, ...], timeout: float = 180
) -> Iterator[list[Path]]:
    """Worker processes named `names`, each running one task at a time; yields their
    log files once every one of them answers a ping through the broker."""
    procs: list[subprocess.Popen[bytes]] = []
    logs = [config.parent / f"{name}.log" for name in names]
    try:
        for name, log in zip(names, logs, strict=True):
            with open(log, "wb") as out:
                procs.append(
                    subprocess.Popen(
                        [
                            *(BIN / "dagster-celery", "worker", "start", "-A", "dagster_celery.app"),
                            # No -i pipelines.definitions: importing it before the pool forks can leave
                            # a lock (polars' thread pool) held in the forked processes, which then hang.
                            *("-y", config, "-n", name),
                            # The solo pool runs each task in the worker's own process: a step's parse
                            # starts its own worker processes under the limits, which Celery's
                            # prefork children (daemonic) may not do.
                            *("--", "--pool=solo"),
                        ],
                        cwd=ROOT,
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # its own process group: the worker and its pool stop together
                    )
                )
        app = Celery(broker=f"{broker}/0")

        def all_answer() -> bool:
            replies = {node.split("@")[0] for reply in app.control.ping(timeout=1.0) for node in reply}
            return replies == set(names)

        wait_for(f"celery workers {', '.join(names)}", all_answer, timeout, logs)
        yield logs
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def execute_distributed_build(
    config: Path, env: dict[str, str], timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """`dagster job execute` of build_warehouse_distributed, as a user runs it."""
    return subprocess.run(
        [
            *(BIN / "dagster", "job", "execute", "-m", "pipelines.definitions"),
            *("-j", "build_warehouse_distributed", "-c", config),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
