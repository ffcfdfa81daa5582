"""Gunicorn for the page and load benchmarks: loopback only, request times in the access log."""

import os

bind = os.environ["BENCH_BIND"]
workers = int(os.environ.get("BENCH_WORKERS", "2"))
timeout = 60
accesslog = os.environ["BENCH_ACCESS_LOG"]
# Path, status, the time the server took in microseconds, then "?" and the query string (which
# production leaves out of its log; here it tells apart two pages on one path, such as the
# national and a PDU's dashboard, and the benchmark's data is synthetic).
access_log_format = "%(m)s %(U)s %(s)s %(D)s ?%(q)s"
