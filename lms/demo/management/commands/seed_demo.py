"""Load the demo: organisations and one account per role (idempotent; says what it did)."""
import io
import uuid
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from lms.accounts.models import TraineeProfile, User
from lms.catalog.models import LessonPage, TrackPage
from lms.core.dates import LEGAL_TIME_ZONE
from lms.core.site import base_url
from lms.deadlines.models import DeclarationKind, DeclaredTraining
from lms.demo import data as demo
from lms.demo.accommodations import seed_accommodations
from lms.demo.classroom import seed_class_sessions
from lms.demo.positioning import seed_positioning
from lms.demo.quality import seed_quality
from lms.demo.scorm import seed_scorm_lesson
from lms.learning import attendance
from lms.learning.models import Cohort, Enrolment
from lms.learning.selectors import track_structure
from lms.learning.services import enrolment_create, lesson_complete, qualification_result_record, track_for_profile
from lms.legal.content import legal_pages_ensure
from lms.organisations.models import (
    Employment,
    Practice,
    PracticeMembership,
    StaffRole,
    TrainingBody,
    TrainingBodyMembership,
    WorkingTime,
)
from lms.quizzes.grading import right_response
from lms.quizzes.models import QuizPage
from lms.quizzes.services import attempt_heartbeat, attempt_start, attempt_submit
from lms.support import services as support_services
from lms.support.models import Thread


class StudyDays:
    """The demo's realised time, recorded as a trainee's pages record it (lms.learning.attendance): one login
    session a day from 9:00 in Paris, three lessons a day, each lesson page beating every 30 s for about its
    estimated time (80 to 120 %), each quiz page for the minutes given. The time is what the heartbeats count."""

    LESSONS_A_DAY = 3
    SPREAD = (0.8, 1.0, 1.2, 0.9)

    def __init__(self, enrolment, starts_on):
        self.enrolment, self.starts_on, self.done, self.day, self.at = enrolment, starts_on, 0, None, None

    def _session(self, day):
        if day != self.day:  # a new day, a new login at 9:00
            self.day, self.at = day, datetime.combine(day, time(9), tzinfo=LEGAL_TIME_ZONE)
        return f"demo-{self.enrolment.pk}-{day.isoformat()}"

    def _beats(self, seconds, send):
        send(resume=True, now=self.at)
        for n in range(1, int(seconds) // attendance.HEARTBEAT_SECONDS + 1):
            send(resume=False, now=self.at + timedelta(seconds=attendance.HEARTBEAT_SECONDS * n))
        self.at += timedelta(seconds=seconds + 120)  # a short pause before the next page

    def read(self, lesson):
        key = self._session(self.starts_on + timedelta(days=self.done // self.LESSONS_A_DAY))
        seconds = lesson.duration_minutes * 60 * self.SPREAD[self.done % len(self.SPREAD)]
        self._beats(seconds, lambda **kw: attendance.lesson_heartbeat(
            user=self.enrolment.trainee, session_key=key, enrolment=self.enrolment, lesson_id=lesson.id, **kw))
        self.done += 1

    def quiz_day(self):
        """The quizzes are answered the day after the last lesson read: (session key, the instant to start)."""
        key = self._session(self.starts_on + timedelta(days=(self.done - 1) // self.LESSONS_A_DAY + 1))
        return key, self.at

    def answer(self, attempt, key, minutes):
        """The attempt's page beats for `minutes`; returns the instant it is submitted."""
        self._beats(minutes * 60, lambda **kw: attempt_heartbeat(attempt=attempt, session_key=key, **kw))
        attendance.settle([self.enrolment.trainee_id])
        return self.at - timedelta(seconds=120)


class Command(BaseCommand):
    help = "Create the demo organisations and accounts (one per role). Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        body, _ = TrainingBody.objects.update_or_create(slug=demo.TRAINING_BODY["slug"], defaults=demo.TRAINING_BODY)
        self._images(body)
        practice, _ = Practice.objects.get_or_create(name=demo.PRACTICE["name"], defaults=demo.PRACTICE)
        for local_part, first_name, last_name, role, extra in demo.ACCOUNTS:
            user = self._user(demo.demo_email(local_part), first_name, last_name, is_admin=role == "admin")
            if role == "trainee":
                TraineeProfile.objects.update_or_create(user=user, defaults={"entry_profile": extra["entry_profile"]})
                Employment.objects.get_or_create(
                    trainee=user, practice=practice, hired_on=extra["hired_on"],
                    defaults={"working_time": WorkingTime.FULL},
                )
            elif role == "employer":
                PracticeMembership.objects.get_or_create(practice=practice, user=user)
            elif role in {"author", "manager", "tutor"}:
                TrainingBodyMembership.objects.update_or_create(
                    training_body=body, user=user,
                    defaults={"role": {"author": StaffRole.AUTHOR, "manager": StaffRole.MANAGER,
                                       "tutor": StaffRole.TUTOR}[role]},
                )
            self.stdout.write(f"  {role:<9} {user.email}")
        self._curriculum_and_enrolments(body)
        seed_scorm_lesson(body, stdout=self.stdout)  # issue 18, point 1: a SCORM 1.2 self-check in the 4-month track
        seed_positioning(demo.demo_email)  # issue 17, point 1: a positioning test, one exemption confirmed, one refused
        self._extra_assistants(body, practice)
        self._support_exchanges(body)
        seed_quality(body, stdout=self.stdout)
        seed_class_sessions(body, demo.demo_email("aide-soignante"), demo.demo_email("tuteur"), self.stdout)
        seed_accommodations(body, stdout=self.stdout)
        created = legal_pages_ensure()
        self.stdout.write(f"  legal pages: {', '.join(created) if created else 'already there'}")
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Password for every demo account: {demo.DEMO_PASSWORD}"))

    def _curriculum_and_enrolments(self, body):
        """Load the shipped curriculum, open a cohort per track and enrol the demo trainees. A demo seeded before
        modules were shared gets aliases in place of the copies nobody has used (load_content --convert-copies)."""
        call_command("load_content", training_body=body.slug, convert_copies=True, stdout=self.stdout)
        tracks = list(TrackPage.objects.live().filter(training_body=body).order_by("path"))
        today = timezone.localdate()
        for local_part, *_rest, role, extra in demo.ACCOUNTS:
            if role != "trainee":
                continue
            user = User.objects.get(email=demo.demo_email(local_part))
            track = track_for_profile(tracks, extra["entry_profile"])
            starts_on = today - timedelta(days=extra["started_days_ago"])
            cohort, _ = Cohort.objects.get_or_create(
                training_body=body, track=track, name=extra["cohort"],
                defaults={"starts_on": starts_on, "place": extra["place"]},
            )
            if not Enrolment.objects.filter(trainee=user, track=track).exists():
                # Through the service, like any enrolment: its trace starts with 'registered'.
                enrolment = enrolment_create(trainee=user, track=track, training_body=body, cohort=cohort,
                                             starts_on=starts_on)
                studied = StudyDays(enrolment, starts_on)
                for lesson in track_structure(track).lessons[: extra["lessons_done"]]:
                    studied.read(lesson)
                    lesson_complete(enrolment=enrolment, lesson=LessonPage.objects.get(pk=lesson.id))

    def _support_exchanges(self, body):
        """The tutor tutors every cohort of the body; the demo trainees' questions, one answered, one waiting.
        Fixed one-time keys: a second run finds the same threads and messages (lms.support.services)."""
        tutor = User.objects.get(email=demo.demo_email("tuteur"))
        for cohort in Cohort.objects.filter(training_body=body):
            cohort.tutors.add(tutor)
        now = timezone.now()
        for local_part, number, subject, question, answer, asked_hours, answered_hours in demo.SUPPORT_EXCHANGES:
            enrolment = Enrolment.objects.filter(trainee__email=demo.demo_email(local_part),
                                                 training_body=body).select_related("trainee").first()
            lessons = track_structure(enrolment.track_id).lessons if enrolment else []
            if not lessons:
                continue
            key = uuid.uuid5(uuid.NAMESPACE_URL, f"demo-support/{local_part}/{subject}")
            thread = support_services.thread_create(
                enrolment=enrolment, author=enrolment.trainee, subject=subject, body=question, submission_key=key,
                lesson=LessonPage.objects.get(pk=lessons[min(number, len(lessons)) - 1].id), base_url=base_url(),
                now=now - timedelta(hours=asked_hours))
            if answer:
                support_services.message_post(
                    thread=thread, author=tutor, body=answer, from_staff=True, base_url=base_url(),
                    submission_key=uuid.uuid5(key, "answer"), now=now - timedelta(hours=answered_hours))
        self.stdout.write(f"  support: {Thread.objects.filter(enrolment__training_body=body).count()} questions")

    def _user(self, email, first_name, last_name, *, is_admin):
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name,
                                   "is_staff": is_admin, "is_superuser": is_admin},
        )
        if created:
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def _extra_assistants(self, body, practice):
        """Assistants in every deadline situation: one who finished the 12-day track (not qualified by it), one
        qualified by the CQP's result recorded by the body."""
        today = timezone.localdate()
        tracks = list(TrackPage.objects.live().filter(training_body=body).order_by("path"))
        for local_part, first_name, last_name, profile, days_since_hiring, scenario in demo.EXTRA_ASSISTANTS:
            user, created = User.objects.get_or_create(
                email=demo.demo_email(local_part), defaults={"first_name": first_name, "last_name": last_name})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            TraineeProfile.objects.get_or_create(user=user, defaults={"entry_profile": profile})
            employment, _created = Employment.objects.get_or_create(
                trainee=user, practice=practice, defaults={"hired_on": today - timedelta(days=days_since_hiring),
                                                           "working_time": WorkingTime.HALF})
            if scenario == "declared_qualification" and not DeclaredTraining.objects.filter(trainee=user).exists():
                DeclaredTraining.objects.create(
                    trainee=user, employment=employment, kind=DeclarationKind.QUALIFICATION, occurred_on=today - timedelta(days=200),
                    organisation="CFA Santé Rhône", declared_by=None,
                    evidence=ContentFile(b"%PDF-1.4\n% demo attestation\n%%EOF\n", name="attestation-demo.pdf"))
            if scenario == "completed" and not Enrolment.objects.filter(trainee=user).exists():
                self._complete_track(user, body, track_for_profile(tracks, profile), today - timedelta(days=40))
            if scenario == "certified" and not Enrolment.objects.filter(trainee=user).exists():
                enrolment = self._complete_track(user, body, track_for_profile(tracks, profile),
                                                 today - timedelta(days=200))
                # Through the service, as the body's manager would on the learner's page.
                qualification_result_record(
                    enrolment=enrolment, obtained_on=today - timedelta(days=demo.CERTIFIED_RESULT["days_ago"]),
                    jury_reference=demo.CERTIFIED_RESULT["jury_reference"],
                    document=ContentFile(b"%PDF-1.4\n% demo decision du jury\n%%EOF\n", name="decision-jury-demo.pdf"),
                    recorded_by=User.objects.filter(email=demo.demo_email("responsable")).first(), today=today)
            self.stdout.write(f"  assistant {user.email} ({scenario})")

    def _complete_track(self, user, body, track, starts_on):
        """Follow a whole track as a diligent trainee would: every lesson, every quiz passed."""
        enrolment = enrolment_create(trainee=user, track=track, training_body=body, starts_on=starts_on)
        structure = track_structure(track)
        studied = StudyDays(enrolment, starts_on)
        pages = LessonPage.objects.in_bulk([item.id for item in structure.lessons])
        for item in structure.lessons:
            studied.read(item)
            lesson_complete(enrolment=enrolment, lesson=pages[item.id])
        quiz_ids = [m.quiz.id for m in structure.modules if m.quiz] + [structure.final_assessment.id]
        for quiz in sorted(QuizPage.objects.filter(pk__in=quiz_ids), key=lambda q: quiz_ids.index(q.pk)):
            key, _start = studied.quiz_day()
            # Started and submitted now, like the lessons marked done: the xAPI trace starts with 'registered'.
            attempt = attempt_start(enrolment=enrolment, quiz=quiz)
            studied.answer(attempt, key, minutes=45 if quiz.pk == structure.final_assessment.id else 10)
            answers = {q["id"]: right_response(q) for q in attempt.questions}
            attempt_submit(attempt=attempt, answers=answers)
        enrolment.refresh_from_db()
        return enrolment

    def _images(self, body):
        """A logo and a signature drawn with Pillow, so that the demo certificate looks like a real one."""
        if not body.logo:
            logo = Image.new("RGB", (480, 200), "white")
            draw = ImageDraw.Draw(logo)
            draw.rounded_rectangle((10, 30, 170, 170), radius=30, fill=(29, 63, 143))
            draw.line((50, 100, 130, 100), fill="white", width=22)
            draw.line((90, 60, 90, 140), fill="white", width=22)
            draw.text((190, 80), "Institut Santé Avenir", fill=(29, 63, 143))
            buffer = io.BytesIO()
            logo.save(buffer, "PNG")
            body.logo.save("logo-institut-sante-avenir.png", ContentFile(buffer.getvalue()), save=True)
        if not body.signature:
            signature = Image.new("RGBA", (500, 200), (255, 255, 255, 0))
            draw = ImageDraw.Draw(signature)
            points = [(20 + x * 9, 120 - int(40 * ((x % 7) - 3) / 3) + (x % 3) * 6) for x in range(50)]
            draw.line(points, fill=(20, 30, 90, 255), width=5, joint="curve")
            buffer = io.BytesIO()
            signature.save(buffer, "PNG")
            body.signature.save("signature-demo.png", ContentFile(buffer.getvalue()), save=True)
