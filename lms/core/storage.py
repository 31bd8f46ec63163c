"""Object storage for the media of a multi-node deployment (lms.settings.stores).

The bucket is private: a file's URL is the site's own MEDIA_URL, as with the file system, so that a browser asks
Django for it and lms.learning.files decides who may read it before the bytes are streamed from the bucket.
A presigned bucket URL would skip that check and expire inside cached lesson HTML.
"""
from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """S3Storage whose `url()` is MEDIA_URL + name, served by the site (never by the bucket)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name).lstrip("/"))
