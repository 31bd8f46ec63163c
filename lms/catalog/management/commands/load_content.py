"""Validate content/ (or a package exported by export_track: a zip) then create or update the curriculum pages of a
training body (idempotent)."""
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms.catalog.authoring import training_body_setup
from lms.catalog.loader import ContentError, load_content, read_content
from lms.catalog.package import read_package
from lms.core.uploads import UploadRejected
from lms.organisations.models import TrainingBody


class Command(BaseCommand):
    help = "Load the shipped curriculum (content/) into a training body's Wagtail pages."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(Path(settings.BASE_DIR) / "content"),
                            help="The content folder, or a zip exported by export_track (checked before it is read).")
        parser.add_argument("--training-body", required=True,
                            help="Slug of the training body that owns the tracks (seed_demo passes the demo one).")
        parser.add_argument("--force", action="store_true", help="Overwrite pages edited in the admin since the last load.")
        parser.add_argument("--convert-copies", action="store_true",
                            help="Replace by aliases the copies of shared modules' lessons and quizzes that an earlier "
                                 "load made, where no progress, attempt or other record points to them and nobody "
                                 "edited them in the admin.")

    def handle(self, *args, path, training_body, force, convert_copies=False, **options):
        with tempfile.TemporaryDirectory(prefix="lms-package-") as directory:
            self.load(path, directory, training_body, force, convert_copies)

    def load(self, path, directory, training_body, force, convert_copies):
        try:
            if str(path).lower().endswith(".zip"):
                with open(path, "rb") as upload:
                    content = read_package(upload, directory)
            else:
                content = read_content(path)
        except UploadRejected as error:
            raise CommandError(str(error.message)) from None
        except ContentError as error:
            for file, fld, message in error.problems:
                self.stderr.write(f"{file}: {fld}: {message}")
            raise CommandError(f"{len(error.problems)} problem(s) in the content; nothing was written.") from None
        body = TrainingBody.objects.filter(slug=training_body).first()
        if body is None:
            raise CommandError(f"No training body with slug {training_body!r}.")
        report = load_content(content, training_body_page=training_body_setup(body), force=force,
                              convert_copies=convert_copies)
        self.stdout.write(f"created {len(report.created)}, updated {len(report.updated)}, "
                          f"unchanged {len(report.unchanged)}, skipped {len(report.skipped)}"
                          + (f", converted to aliases {len(report.converted)}" if report.converted else ""))
        for key in report.skipped:
            self.stdout.write(f"  skipped (edited in the admin; use --force to overwrite): {key}")
