"""When an enrolment holds the qualification: learning decides, the apps above it may withdraw it.

Avenant 7 (2019), art. 9-2: the assistant must obtain the qualification — a certification (the CQP assistant
médical, RNCP 40913, awarded after an exam by an approved certifying body) or, for carers, the formation
d'adaptation à l'emploi. Finishing a training course is neither: an enrolment qualifies its trainee only through
a QualificationResult in force (recorded by its training body); a qualification obtained elsewhere is a
DeclaredTraining with its evidence (lms.deadlines).

Learning sits below certificates and deadlines, which are siblings: deadlines asks learning (`qualifying`), and
certificates registers what withdraws a qualification (a revoked certificate), so that neither imports the other.
"""
from django.db.models import (BooleanField, Case, DateField, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q,
                              Subquery, Value, When)

from lms.learning.models import EnrolmentStatus, QualificationResult
from lms.organisations.selectors import is_staff_of, practice_sees

_withdrawals = []


def register_qualification_withdrawal(condition):
    """`condition()`: an expression on Enrolment, true when its result no longer counts (called per query)."""
    if condition not in _withdrawals:
        _withdrawals.append(condition)


def _not_withdrawn():
    condition = Q()
    for withdrawal in _withdrawals:
        condition &= ~withdrawal()
    return condition


def completion_counted_at():
    """When an enrolment's track was finished, unless a registered condition withdrew it (a revoked certificate:
    the completion no longer counts as "training completed" either), or None: an expression on Enrolment."""
    return Case(When(Q(status=EnrolmentStatus.COMPLETED) & _not_withdrawn(), then=F("completed_at")), default=None,
                output_field=DateTimeField())


def completed_in_force():
    """The enrolments whose completion counts: completed, and not withdrawn by a registered condition (a Q on
    Enrolment, for filters and conditional counts; completion_counted_at() gives the moment)."""
    return Q(status=EnrolmentStatus.COMPLETED) & _not_withdrawn()


def results_in_force():
    """The qualification results not revoked."""
    return QualificationResult.objects.filter(revoked_at__isnull=True)


def qualifying():
    """The enrolments that qualify their trainee: a result in force, and not withdrawn by a registered condition.

    The one place where the platform decides that a trainee holds the qualification through its training;
    completion alone never counts.
    """
    return Q(Exists(results_in_force().filter(enrolment=OuterRef("pk")))) & _not_withdrawn()


def _first_result_on():
    """The date of an enrolment's first result in force (None without one): an expression on Enrolment."""
    return Subquery(results_in_force().filter(enrolment=OuterRef("pk")).order_by("obtained_on")
                    .values("obtained_on")[:1], output_field=DateField())


def qualified_on():
    """The date an enrolment's result says the qualification was obtained, or None: an expression on Enrolment.

    As `qualifying()`: the first result in force (None without one), unless a registered condition withdrew it.
    """
    not_withdrawn = _not_withdrawn()
    if not not_withdrawn:  # nothing registered can withdraw a result
        return _first_result_on()
    return Case(When(not_withdrawn, then=_first_result_on()), default=None, output_field=DateField())


def standing():
    """{name: expression on Enrolment} to annotate a trainee's few enrolments with, so that `counts()` gives for
    each what completion_counted_at() and qualified_on() would, with the withdrawal conditions evaluated once."""
    not_withdrawn = _not_withdrawn()
    return {"counts_in_force": ExpressionWrapper(not_withdrawn, output_field=BooleanField()) if not_withdrawn
            else Value(True), "first_result_on": _first_result_on()}


def counts(enrolment):
    """(completion counted at, qualified on) of an enrolment annotated with `standing()`."""
    if not enrolment.counts_in_force:
        return None, None
    return (enrolment.completed_at if enrolment.status == EnrolmentStatus.COMPLETED else None,
            enrolment.first_result_on)


def may_download_result(user, result):
    """Who may read a result's document: platform admins and the staff of the enrolment's training body (every
    result, revoked ones included: their record), the trainee and the practices that employ or employed them on
    the date it was obtained (results in force only)."""
    if not user.is_authenticated:
        return False
    enrolment = result.enrolment
    if user.is_superuser or is_staff_of(user, enrolment.training_body_id):
        return True
    if result.revoked_at is not None:
        return False
    return enrolment.trainee_id == user.pk or practice_sees(user, enrolment.trainee_id, result.obtained_on)


def results_shown(trainee_id, *, until=None):
    """A trainee's results in force (oldest first), with their track; `until`: obtained on or before that day
    (what a former employer sees)."""
    results = results_in_force().filter(enrolment__trainee_id=trainee_id).select_related("enrolment__track")
    if until is not None:
        results = results.filter(obtained_on__lte=until)
    return list(results.order_by("obtained_on", "pk"))
