"""Gunicorn settings for the production image (read from the working directory)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = 60
# With JSON logs (production) the service logs each request itself, by view name, never the
# path (a path can hold a CRN); gunicorn's own access log is for LOG_FORMAT=text only.
accesslog = "-" if os.environ.get("LOG_FORMAT", "json") == "text" else None
# The path without the query string: search terms and filters can hold names or CRNs.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR, forget a finished worker's live gauges (docs/operations.md)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
