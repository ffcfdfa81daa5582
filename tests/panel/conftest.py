import pytest


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Emails are queued on commit and sent by a worker; here the worker's work runs in-process.
    Tests marked `celery` use a real worker instead, so they are left alone."""
    if request.node.get_closest_marker("celery"):
        yield
        return
    from complexcases.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
