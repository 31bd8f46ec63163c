"""A real Ralph LRS (France Université Numérique) started for the tests, in its own virtualenv."""
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RALPH_VENV = Path(os.environ.get("RALPH_VENV", ROOT / ".venv-lrs"))
PASSWORD = "mot-de-passe-lrs"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RalphServer:
    def __init__(self, workdir):
        self.workdir = workdir
        self.port = free_port()
        self.process = None
        self.env = {**os.environ, "RALPH_APP_DIR": str(workdir), "RALPH_RUNSERVER_BACKEND": "fs",
                    "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(workdir / "store")}
        (workdir / "store").mkdir(parents=True, exist_ok=True)
        subprocess.run([str(RALPH_VENV / "bin" / "ralph"), "auth", "-u", "lms", "-p", PASSWORD, "-s", "all",
                        "-M", "mailto:lms@example.org", "-N", "LMS", "-w"], env=self.env, check=True,
                       capture_output=True, cwd=workdir)

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self):
        self.process = subprocess.Popen(
            [str(RALPH_VENV / "bin" / "uvicorn"), "ralph_lrs_app:app", "--app-dir", str(Path(__file__).parent),
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            env=self.env, cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("Ralph LRS did not start")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def stored_ids(self):
        import base64
        import json

        request = urllib.request.Request(f"{self.endpoint}statements?limit=500", headers={
            "X-Experience-API-Version": "1.0.3",
            "Authorization": "Basic " + base64.b64encode(f"lms:{PASSWORD}".encode()).decode()})
        with urllib.request.urlopen(request, timeout=5) as response:
            return {s["id"] for s in json.loads(response.read())["statements"]}


@pytest.fixture
def ralph(tmp_path, settings):
    if not (RALPH_VENV / "bin" / "uvicorn").exists():
        raise RuntimeError(f"No Ralph LRS in {RALPH_VENV}: run the tests through `make test` (it installs it).")
    server = RalphServer(tmp_path / "ralph")
    settings.LRS_ENDPOINT, settings.LRS_USERNAME, settings.LRS_PASSWORD = server.endpoint, "lms", PASSWORD
    yield server
    server.stop()
