"""Validate and store statements; forward the outbox to an external LRS with retries."""
import base64
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pydantic import TypeAdapter
from ralph.models.xapi.base.statements import BaseXapiStatement

from lms.xapi.models import OutboxStatus, Statement

logger = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=1)


class InvalidStatement(ValueError):
    pass


# ralph's statement model as a list: a submitted quiz's eleven statements are checked in one call (its schema is
# built once at import, like any pydantic model's; it holds no data).
_STATEMENT_LIST = TypeAdapter(list[BaseXapiStatement])


def validate(statement):
    """Validate with ralph's strict xAPI models; return the statement as validated JSON."""
    try:
        return BaseXapiStatement.model_validate(statement).model_dump(mode="json", exclude_none=True, by_alias=True)
    except Exception as error:  # pydantic.ValidationError and friends
        raise InvalidStatement(str(error)) from error


def validate_all(statements):
    """Validate statements with ralph's strict xAPI models, all in one pass; InvalidStatement names the first
    fault (the statement's position in the list and the field)."""
    try:
        _STATEMENT_LIST.validate_python(statements)
    except Exception as error:  # pydantic.ValidationError and friends
        raise InvalidStatement(str(error)) from error


def lrs_configured():
    return bool(getattr(settings, "LRS_ENDPOINT", ""))


def record(statements, *, actor):
    """Store statements in the caller's transaction (call it inside the event's transaction).

    Each is to send, whether an LRS is configured now or not: the forwarder sends it once one is. ralph's models
    check them there, before they leave (forward_batch), not here: the learner's request does not pay for it, and a
    statement that a fault of ours made invalid cannot undo the lesson or the quiz it traces. Development and the
    tests check them here too (XAPI_VALIDATE_ON_RECORD), so that a statement of a wrong shape fails the request that
    built it.
    """
    now = timezone.now()
    if settings.XAPI_VALIDATE_ON_RECORD:
        validate_all(statements)
    rows = []
    for statement in statements:
        rows.append(Statement(
            id=statement["id"], actor=actor, registration=statement["context"]["registration"],
            verb=statement["verb"]["id"], object_id=statement["object"]["id"],
            timestamp=datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00")), data=statement,
            status=OutboxStatus.PENDING, next_attempt_at=now,
        ))
    Statement.objects.bulk_create(rows)
    return rows


def backoff(attempts):
    """30 s, 1 min, 2 min… up to an hour."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _post(statements, timeout):
    endpoint = settings.LRS_ENDPOINT.rstrip("/") + "/statements"
    credentials = base64.b64encode(f"{settings.LRS_USERNAME}:{settings.LRS_PASSWORD}".encode()).decode()
    request = urllib.request.Request(endpoint, data=json.dumps(statements).encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3", "Authorization": f"Basic {credentials}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace")[:2000]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")[:2000]


def invalid_among(statements):
    """[(statement, ralph's message)] for the stored statements that ralph's models refuse: one pass over all of them,
    then one by one only when that pass fails."""
    try:
        validate_all([s.data for s in statements])
        return []
    except InvalidStatement:
        pass
    faults = []
    for statement in statements:
        try:
            validate(statement.data)
        except InvalidStatement as error:
            faults.append((statement, str(error)))
    return faults


def forward_batch(*, batch_size=100, timeout=10, now=None):
    """Send the due statements once; returns counts. The learner never waits for this.

    A statement that ralph's models refuse is never sent: it is marked rejected, with ralph's message, and the rest
    of the batch goes on.
    """
    now = now or timezone.now()
    counts = {"sent": 0, "rejected": 0, "retry": 0}
    with transaction.atomic():
        due = list(Statement.objects.select_for_update(skip_locked=True)
                   .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).order_by("timestamp")[:batch_size])
        for statement, error in invalid_among(due):
            _mark([statement], OutboxStatus.REJECTED, now, f"invalid xAPI 1.0.3 (ralph): {error}"[:2000])
            counts["rejected"] += 1
            due.remove(statement)
            logger.error("Statement %s is not valid xAPI and was not sent: %s", statement.pk, error[:200])
        if not due:
            return counts
        try:
            status, body = _post([s.data for s in due], timeout)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            status, body = None, f"{type(error).__name__}: {error}"
        if status is not None and 200 <= status < 300:
            _mark(due, OutboxStatus.SENT, now, "")
            counts["sent"] += len(due)
        elif status is not None and 400 <= status < 500 and status not in (401, 403, 408, 429):
            # One statement may be at fault (or already stored): send them one by one to sort them out.
            for statement in due:
                single_status, single_body = _post([statement.data], timeout)
                if 200 <= single_status < 300 or single_status == 409:
                    _mark([statement], OutboxStatus.SENT, now, "" if single_status < 300 else "409: already stored")
                    counts["sent"] += 1
                elif 400 <= single_status < 500 and single_status not in (401, 403, 408, 429):
                    _mark([statement], OutboxStatus.REJECTED, now, f"{single_status}: {single_body}")
                    counts["rejected"] += 1
                else:
                    _retry([statement], now, f"{single_status}: {single_body}")
                    counts["retry"] += 1
        else:
            _retry(due, now, f"{status}: {body}" if status else body)
            counts["retry"] += len(due)
            logger.warning("LRS unavailable, %s statements kept for retry: %s", len(due), body[:200])
    return counts


def _mark(statements, status, now, error):
    ids = [s.pk for s in statements]
    Statement.objects.filter(pk__in=ids).update(status=status, sent_at=now if status == OutboxStatus.SENT else None,
                                                last_error=error, next_attempt_at=None)


def _retry(statements, now, error):
    for statement in statements:
        statement.attempts += 1
        statement.next_attempt_at = now + backoff(statement.attempts)
        statement.last_error = error[:2000]
    Statement.objects.bulk_update(statements, ["attempts", "next_attempt_at", "last_error"])
