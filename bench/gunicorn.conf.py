"""Gunicorn for the page and load benchmarks: loopback only, request times in the access log."""

import os

bind = os.environ["BENCH_BIND"]
workers = int(os.environ.get("BENCH_WORKERS", "2"))
timeout = 60
accesslog = os.environ["BENCH_ACCESS_LOG"]
# Path (no query string, as in production), status, and the time the server took in microseconds.
access_log_format = "%(m)s %(U)s %(s)s %(D)s"
