"""Export a published track in the content/ format: a zip (deterministic) or a folder laid out like content/."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.catalog.exporter import track_package, write_directory, zip_bytes
from lms.catalog.models import TrackPage


class Command(BaseCommand):
    help = "Export a track (id or slug) as a package another instance loads with load_content: out.zip or a folder."

    def add_arguments(self, parser):
        parser.add_argument("track", help="The track page's id, or its slug.")
        parser.add_argument("out", help="A path ending in .zip, or a folder (created; must be empty if it exists).")
        parser.add_argument("--training-body", help="Slug of the training body, when several bodies have the slug.")

    def handle(self, *args, track, out, training_body=None, **options):
        tracks = TrackPage.objects.live()
        if training_body:
            tracks = tracks.filter(training_body__slug=training_body)
        found = list(tracks.filter(pk=int(track)) if track.isdigit() else tracks.filter(slug=track))
        if not found:
            raise CommandError(f"No published track {track!r}.")
        if len(found) > 1:
            raise CommandError(f"{len(found)} tracks have the slug {track!r}: give its id or --training-body.")
        package = track_package(found[0])
        out = Path(out)
        if out.suffix.lower() == ".zip":
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(zip_bytes(package.files))
        else:
            if out.exists() and any(out.iterdir()):
                raise CommandError(f"{out} is not empty.")
            write_directory(package.files, out)
        self.stdout.write(f"{found[0].slug}: {len(package.files)} files written to {out}")
        for title, reason in package.left_out:
            self.stdout.write(f"  not exported ({reason}): {title}")
