"""Learning events, sent inside the transaction that records them, so that receivers (certificates, xAPI)
write in that same transaction: no event without its consequence, no consequence without its event."""
from django.dispatch import Signal

# sender=Enrolment; kwargs: enrolment
enrolled = Signal()
# kwargs: enrolment, lesson, completion
lesson_completed = Signal()
# kwargs: enrolment, module (ModuleItem) — sent when a module's last requirement is met
module_completed = Signal()
# kwargs: enrolment, now
track_completed = Signal()
