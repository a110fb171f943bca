"""Run the project's own programs (bin/phonepipe, the GX checkpoint) from tasks, with their output in the
task log and a readable error when they fail."""

from __future__ import annotations

import logging
import shlex
import subprocess
from pathlib import Path

from phonepipe_airflow import config

log = logging.getLogger(__name__)


class CommandFailed(RuntimeError):
    def __init__(self, argv: list[str], returncode: int, stdout: str, stderr: str):
        self.argv, self.returncode, self.stdout, self.stderr = argv, returncode, stdout, stderr
        tail = "\n".join((stderr or stdout).strip().splitlines()[-40:])
        super().__init__(f"`{shlex.join(argv)}` exited with {returncode}\n{tail}")


def run(
    argv: list[str], *, check: bool = True, cwd: Path | None = None, timeout_s: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` with the project environment; log stdout and stderr; raise CommandFailed on non-zero
    exit when ``check``."""
    log.info("running: %s", shlex.join(argv))
    proc = subprocess.run(
        argv,
        cwd=str(cwd or config.repo_root()),
        env=config.subprocess_env(),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    for name, text in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        if text.strip():
            log.info("%s of %s:\n%s", name, Path(argv[0]).name, text.rstrip())
    log.info("exit code %d", proc.returncode)
    if check and proc.returncode != 0:
        raise CommandFailed(argv, proc.returncode, proc.stdout, proc.stderr)
    return proc


def phonepipe(*args: str, check: bool = True, timeout_s: float | None = None) -> subprocess.CompletedProcess[str]:
    """``bin/phonepipe <args>``."""
    return run([str(config.cli()), *args], check=check, timeout_s=timeout_s)
