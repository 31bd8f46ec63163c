"""gunicorn's configuration for a production node: `gunicorn -c python:lms.gunicorn_conf lms.wsgi:application`.

Each value can be changed from the environment (named beside it) or the command line, which wins over this file.
Measured on a 2-core machine (issue 14): pages spend part of their time waiting on PostgreSQL, so threads keep the
cores busy while a request waits; the numbers below are the ones the two-node test (tests/cluster) runs with.
"""
import multiprocessing
import os

# Behind the reverse proxy or load balancer, on the node's private address (GUNICORN_BIND, e.g. 0.0.0.0:8000).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threaded workers: a thread waiting on PostgreSQL, Redis or the bucket leaves the core to another; a worker process
# per core plus one keeps a core busy while another process is between requests. Every thread may hold a database
# connection (CONN_MAX_AGE): nodes x workers x threads must stay below PostgreSQL's max_connections (100).
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Keep-alive above the proxy's: the proxy (nginx `keepalive_timeout` of its upstream block, 60 s; an AWS or
# Scaleway load balancer's idle timeout, 60 s) must always be the side that closes an idle connection. With
# gunicorn's default of 2 s, it closed connections the proxy was about to reuse, and those requests failed with
# "connection reset" (81 errors in the class of issue 14, 69 of them lost heartbeats).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))

# A worker silent this long is killed and replaced: well above the slowest page (a large CSV export takes a few
# seconds), below the proxy's own read timeout (nginx `proxy_read_timeout`, 60 s) so that the proxy reports it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On a restart or a deployment, requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))

# Workers are not replaced after a number of requests (0: gunicorn's own default). A gthread worker that reaches
# max_requests exits with its idle keep-alive connections: a client (or the proxy) sending its next request on one
# of them gets "connection reset". Measured with `make bench-class` at 2,000 requests: the four workers restarted
# under load, and 9 requests of the class and 128 of the login storm failed that way; with 0, none. Set
# GUNICORN_MAX_REQUESTS (with GUNICORN_MAX_REQUESTS_JITTER) only if a node's memory is seen to grow.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "0"))

# The workers' heartbeat files in memory, not on a disk that may stall (gunicorn's advice for containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# No preloading: each worker imports the application itself, so that a worker replaced (after a crash, a timeout or
# max_requests) starts clean and no database connection is opened before the fork.
preload_app = False


def post_worker_init(worker):
    """Each worker loads the URLconf, the catalogues and the templates before it accepts its first request
    (lms.core.warm): otherwise the first requests of every worker, after each deployment or restart, pay for them
    (about 0.6 s of CPU each), while a class may be logging in."""
    from lms.core.warm import warm_up  # here, in the worker: gunicorn reads this file before Django is set up

    warm_up()


proc_name = "parcours-am"
# Access log to standard output (journald, docker logs); GUNICORN_ACCESS_LOG="" turns it off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
