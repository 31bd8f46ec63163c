"""The media in a private S3 bucket and the cache in Redis, read through the site as on any node.

Against a real redis-server and moto's S3 server (tests/cluster/conftest.py): lesson documents, images and their
renditions, certificate PDFs and declaration evidence are written to the bucket, refused to anyone reading the
bucket directly, and streamed by Django to the people lms.learning.files allows; rate limits count every hit once
whichever connection (worker, node) makes it.
"""
import threading
import urllib.error
import urllib.request
from datetime import date

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from lms.certificates.models import Certificate
from lms.core.ratelimit import hit, hits
from lms.core.storage import PrivateS3Storage
from lms.deadlines.models import DeclaredTraining
from tests.certificates.test_certificates import complete
from tests.cluster.conftest import BUCKET
from tests.factories import make_enrolment, make_track, make_trainee, make_user
from tests.learning.test_private_files import PDF, body_of, urls, world  # noqa: F401  (world is a fixture)

pytestmark = pytest.mark.django_db


def bucket_keys(s3):
    return {item["Key"] for item in s3.client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def anonymous_status(s3, key):
    """What the bucket answers to someone without keys who knows the object's name."""
    try:
        with urllib.request.urlopen(f"{s3.url}/{BUCKET}/{key}", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_lesson_files_live_in_the_private_bucket_and_reach_only_the_readers(shared_stores, client, world):
    """Document, original image and the rendition Wagtail made from it: in the bucket, not readable there, streamed
    by the site to the enrolled trainee, a 404 for another body's trainee."""
    from django.core.files.storage import default_storage

    assert isinstance(default_storage, PrivateS3Storage)
    found = urls(client, world)  # renders the lesson, which makes the rendition from the original in the bucket
    keys = bucket_keys(shared_stores.s3)
    assert world["document"].file.name in keys and world["image"].file.name in keys
    assert any(key.startswith("images/") for key in keys)  # the rendition
    assert all(anonymous_status(shared_stores.s3, key) == 403 for key in keys)
    assert found["original"] == f"/media/{world['image'].file.name}"  # the site's URL, never the bucket's

    client.force_login(world["trainee"])
    document = client.get(found["document"])
    assert document.status_code == 200 and body_of(document) == PDF
    for kind in ("original", "rendition"):
        image = client.get(found[kind])
        assert image.status_code == 200 and body_of(image).startswith(b"\x89PNG"), kind
    client.force_login(world["other_trainee"])
    assert all(client.get(found[kind]).status_code == 404 for kind in ("document", "original", "rendition"))


def test_a_certificate_pdf_is_frozen_in_the_bucket_and_downloaded_through_the_site(shared_stores, client):
    enrolment = complete(make_enrolment(track=make_track(modules=1, lessons=1)))
    certificate = Certificate.objects.get(enrolment=enrolment)
    stored = shared_stores.s3.client.get_object(Bucket=BUCKET, Key=certificate.pdf.name)["Body"].read()
    assert stored.startswith(b"%PDF")
    assert anonymous_status(shared_stores.s3, certificate.pdf.name) == 403

    client.force_login(enrolment.trainee)
    response = client.get(reverse("certificate_download", args=[certificate.pk]))

    assert response.status_code == 200 and response.content == stored
    assert response["X-Content-SHA256"] == certificate.pdf_sha256
    client.force_login(make_user())
    assert client.get(reverse("certificate_download", args=[certificate.pk])).status_code == 404


def test_declaration_evidence_goes_to_the_bucket_and_to_platform_admins_only(shared_stores, client):
    trainee = make_trainee()
    declaration = DeclaredTraining.objects.create(
        trainee=trainee, kind="start", organisation="CFA", occurred_on=date(2026, 1, 5), declared_by=trainee,
        evidence=ContentFile(PDF, name="attestation.pdf"))
    name = declaration.evidence.name
    assert name in bucket_keys(shared_stores.s3) and anonymous_status(shared_stores.s3, name) == 403

    client.force_login(trainee)
    assert client.get(declaration.evidence.url).status_code == 404
    client.force_login(make_user(is_superuser=True, is_staff=True))
    response = client.get(declaration.evidence.url)
    assert response.status_code == 200 and body_of(response) == PDF
    assert response["Content-Disposition"] == "attachment"


def test_a_second_file_of_the_same_name_never_replaces_the_first(shared_stores):
    """A frozen certificate keeps its bytes: the bucket storage picks a new name instead of overwriting."""
    from django.core.files.storage import default_storage

    first = default_storage.save("certificates/2026/attestation.pdf", ContentFile(b"%PDF first"))
    second = default_storage.save("certificates/2026/attestation.pdf", ContentFile(b"%PDF second"))
    assert first != second
    with default_storage.open(first, "rb") as handle:
        assert handle.read() == b"%PDF first"


@pytest.mark.django_db(transaction=True)
def test_rate_limits_count_every_hit_once_across_connections(shared_stores):
    """Eight threads, each with its own Redis connection (as workers of several nodes have), hit one key 50 times:
    the counts they see are exactly 1..400, none lost or seen twice."""
    seen, barrier = [], threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            seen.extend(hit("login-failed:203.0.113.7", window_seconds=300) for _ in range(50))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(1, 401))
    assert hits("login-failed:203.0.113.7", window_seconds=300) == 400
    assert type(caches["default"]).__name__ == "RedisCache"


@pytest.mark.django_db(transaction=True)
def test_allauth_failed_login_limit_holds_across_connections(shared_stores, rf):
    """allauth guards its counters with a lock taken by `cache.add` (SET NX in Redis): 24 failed logins for one
    account from 8 connections at once, and exactly the 5 of ACCOUNT_RATE_LIMITS["login_failed"] are let through."""
    from allauth.core import ratelimit

    allowed, barrier = [], threading.Barrier(8)

    def worker():
        request = rf.post("/comptes/login/", REMOTE_ADDR="203.0.113.9")
        try:
            barrier.wait()
            allowed.extend(ratelimit.consume(request, action="login_failed", key="victime@example.org")
                           for _ in range(3))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 24 and allowed.count(True) == 5
