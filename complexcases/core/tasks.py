from celery import shared_task

from .services import worker_heartbeat_record


@shared_task(bind=True, ignore_result=False)
def record_worker_heartbeat(self) -> str:
    """Beat runs this every minute so /healthz can tell whether workers are consuming."""
    worker = self.request.hostname or "unknown"
    heartbeat = worker_heartbeat_record(worker=worker)
    return heartbeat.beat_at.isoformat()
