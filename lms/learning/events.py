"""Learning events, sent inside the transaction that records them, so that receivers (certificates) write in
that same transaction: no completion without its certificate. (xAPI traces are recorded by explicit calls,
see lms.learning.traces.)"""
from django.dispatch import Signal

# sender=Enrolment; kwargs: enrolment, now
track_completed = Signal()
