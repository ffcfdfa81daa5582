"""The fault tests (`make faults`, run by CI after `make test`): real Redis, PostgreSQL and Celery
workers stopped, killed and restarted on this machine. Each names its fault, the expected and
the measured outcome; they are printed together at the end of the run."""

from tests.faults.components import REPORTS


def pytest_terminal_summary(terminalreporter):
    if not REPORTS:
        return
    terminalreporter.section("faults: fault, expected, measured")
    for test, fault, expected, measured in REPORTS:
        terminalreporter.write_line(f"{test}\n  fault:    {fault}")
        terminalreporter.write_line(f"  expected: {expected}\n  measured: {measured}")
