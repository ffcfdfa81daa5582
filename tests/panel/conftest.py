import pytest


@pytest.fixture(autouse=True)
def eager_celery():
    """Emails are queued on commit and sent by a worker; here the worker's work runs in-process."""
    from complexcases.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
