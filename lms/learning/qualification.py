"""When a completed enrolment counts as the qualification: learning decides, the apps above it may withdraw it.

Learning sits below certificates and deadlines, which are siblings: deadlines asks learning (`qualifying`), and
certificates registers what withdraws a qualification (a revoked certificate), so that neither imports the other.
"""
from django.db.models import Q

from lms.learning.models import EnrolmentStatus

_withdrawals = []


def register_qualification_withdrawal(condition):
    """`condition()`: an expression on Enrolment, true when its completion no longer counts (called per query)."""
    if condition not in _withdrawals:
        _withdrawals.append(condition)


def qualifying():
    """The enrolments whose completion is a qualification: completed, and not withdrawn by a registered condition.

    The one place where the platform decides that a trainee holds the qualification (a qualification obtained
    elsewhere is a DeclaredTraining).
    """
    condition = Q(status=EnrolmentStatus.COMPLETED, completed_at__isnull=False)
    for withdrawal in _withdrawals:
        condition &= ~withdrawal()
    return condition
