"""The local store of statements, which is also the outbox to an external LRS."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    """Every statement is to send until an LRS holds it or it is refused (by ralph's models before it is sent, or by
    the LRS): one recorded while no LRS is configured is forwarded once one is (the forwarder runs only then)."""

    PENDING = "pending", _("To send")
    SENT = "sent", _("Sent")
    REJECTED = "rejected", _("Rejected (not valid xAPI, or refused by the LRS)")


class StatementJSONField(models.JSONField):
    """A statement's JSON, inserted as one value per row.

    On PostgreSQL, Django inserts several rows at once through UNNEST of one array per column, unless a field says
    where its value goes (`get_placeholder`). A statement's JSON in an array literal has every one of its quotes
    escaped in Python, one regular expression match each: about 2 ms of CPU for the eleven statements of a quiz
    submission (bench/run.py), against nothing for a plain value per row, which the database driver quotes in C.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class Statement(models.Model):
    """One xAPI statement, stored in the transaction of the event it records; ralph's models check it before it is
    sent (lms.xapi.services.forward_batch)."""

    id = models.UUIDField(primary_key=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statements")
    registration = models.UUIDField(db_index=True)
    verb = models.CharField(max_length=200)
    object_id = models.CharField(max_length=300)
    timestamp = models.DateTimeField(db_index=True)
    stored_at = models.DateTimeField(auto_now_add=True)
    data = StatementJSONField()
    status = models.CharField(max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        ordering = ["timestamp"]
        indexes = [models.Index(fields=["status", "next_attempt_at"]), models.Index(fields=["actor", "timestamp"])]

    def __str__(self):
        return f"{self.verb.rsplit('/', 1)[-1]} {self.object_id}"
