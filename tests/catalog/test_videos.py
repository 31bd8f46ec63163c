"""Lesson videos: nothing is asked of the provider until the reader loads the player."""
import pytest
from django.urls import reverse

from lms.catalog.models import LessonPage
from lms.catalog.videos import player_for
from tests.factories import make_enrolment, make_track


@pytest.mark.parametrize("url, provider, embed", [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "Vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
    ("https://www.dailymotion.com/video/x8abcd1", "Dailymotion", "https://www.dailymotion.com/embed/video/x8abcd1"),
    ("https://dai.ly/x8abcd1", "Dailymotion", "https://www.dailymotion.com/embed/video/x8abcd1"),
])
def test_known_providers_are_embedded_without_their_tracking_domain(url, provider, embed):
    player = player_for(url)
    assert (player.provider, player.embed_url) == (provider, embed)
    assert player.watch_url.startswith("https://")


@pytest.mark.parametrize("url", [
    "", None, "javascript:alert(1)", "https://example.org/video.mp4", "https://www.youtube.com/watch?v=",
    'https://www.youtube.com/watch?v="><script>', "https://vimeo.com/channels/staff", "ftp://youtu.be/abcdef",
    "https://youtu.be.evil.example/dQw4w9WgXcQ",
])
def test_anything_else_is_not_embedded(url):
    assert player_for(url) is None


@pytest.mark.django_db
def test_a_lesson_shows_a_placeholder_and_no_player_until_asked(client):
    track = make_track(modules=1, lessons=1)
    lesson = LessonPage.objects.descendant_of(track).get()
    lesson.body = [("video", {"title": "Prendre la tension", "video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                              "transcript": "Le patient est assis depuis cinq minutes."}),
                   ("video", {"title": "Vidéo ailleurs", "video": "https://example.org/film",
                              "transcript": "Texte."})]
    lesson.save_revision().publish()
    enrolment = make_enrolment(track=track)
    client.force_login(enrolment.trainee)
    html = client.get(reverse("lesson", args=[lesson.pk])).content.decode()
    assert "<iframe" not in html and "youtube.com/embed" not in html
    assert 'data-video-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "Charger la vidéo" in html and "Regarder sur YouTube" in html and "js/video.js" in html
    assert 'href="https://example.org/film"' in html and "Le patient est assis depuis cinq minutes." in html
