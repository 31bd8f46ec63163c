"""Real shared stores for the multi-node tests: a redis-server and an S3 server (moto), each on a free port.

Neither is skipped when missing: a machine that runs `make test` has both (.ci/run installs redis-server, moto
comes with the test extras of pyproject.toml), and a missing one is an error that says what to install.
"""
import shutil
import socket
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from lms.settings.stores import redis_cache_settings, s3_storage_settings

BUCKET = "parcours-am-media"
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "cluster-test", "AWS_SECRET_ACCESS_KEY": "cluster-test-secret",
                  "AWS_S3_REGION_NAME": "us-east-1"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, what, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at start (exit {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port} within {seconds} s")


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A redis-server of its own, in memory only; its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: `apt-get install redis-server` (.ci/run installs it).")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path_factory.mktemp("redis"))],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server with one private bucket; the environment a node is given to use it."""
    import boto3

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, "moto S3 server")
        env = {**S3_CREDENTIALS, "AWS_STORAGE_BUCKET_NAME": BUCKET,
               "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_S3_ADDRESSING_STYLE": "path"}
        client = boto3.client("s3", endpoint_url=env["AWS_S3_ENDPOINT_URL"], region_name="us-east-1",
                              aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                              aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
        client.create_bucket(Bucket=BUCKET, ACL="private")
        yield SimpleNamespace(env=env, client=client, url=env["AWS_S3_ENDPOINT_URL"])
    finally:
        stop(process)


@pytest.fixture
def shared_stores(settings, redis_server, s3_server, monkeypatch):
    """This test process uses the Redis cache and the bucket as a production node does, both emptied first."""
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    for variable, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(variable, value)  # boto3 reads the keys where a node finds them: the environment
    settings.CACHES = redis_cache_settings({"REDIS_URL": redis_server})
    settings.STORAGES = {**settings.STORAGES,
                         "default": s3_storage_settings(s3_server.env, max_memory_size=2 * 1024 * 1024)}
    yield SimpleNamespace(redis_url=redis_server, s3=s3_server)
