"""Searching a track: French words without accents, singular and plural alike, excerpts with the matches marked,
only the reader's own track and its live lessons (issue 16, point 2). Runs on SQLite and PostgreSQL alike."""
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from lms.catalog.models import LessonPage, ModulePage, TrackPage
from lms.core import text_search
from tests.factories import make_enrolment, make_track, make_trainee, make_training_body

SEARCH_TEXT = ("<p>La pression artérielle se mesure au repos. Les brassards adaptés évitent les erreurs ; "
               "une tension mesurée trop vite est fausse. Les infirmières et les médecins relisent les valeurs.</p>")


def add_lesson(track, title, html, *, live=True, module_index=0):
    module = ModulePage.objects.child_of(track).order_by("path")[module_index]
    lesson = LessonPage(title=title, slug=re.sub(r"\W+", "-", title.lower()), live=live, duration_minutes=10,
                        body=[("text", html)])
    return module.add_child(instance=lesson)


def search(client, enrolment, query):
    return client.get(reverse("track_search", args=[enrolment.pk]), {"q": query})


def titles_found(html):
    return re.findall(r'<h3><a href="/[^"]+">([^<]+)</a></h3>', html)


# --- The normalisation: plain functions --------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("tension", "tensions"), ("artérielle", "arterielle"), ("artérielle", "artériel"), ("artérielles", "artériel"),
    ("médicaux", "médical"), ("médicale", "MEDICALES"), ("infirmières", "infirmier"), ("mesurée", "mesure"),
    ("bureaux", "bureau"), ("cœur", "coeur"), ("patiente", "patients"),
])
def test_singular_plural_feminine_and_accents_share_a_stem(a, b):
    assert text_search.stem(a) == text_search.stem(b)


@pytest.mark.parametrize("a, b", [("tension", "pression"), ("poids", "pois"), ("taille", "tailleur")])
def test_different_words_keep_different_stems(a, b):
    assert text_search.stem(a) != text_search.stem(b)


def test_stop_words_are_left_out_of_a_query_unless_nothing_else_is_left():
    assert text_search.query_stems(["la", "tension", "des", "Tensions"]) == ["tension"]
    assert text_search.query_stems(["la", "les"]) == ["la", "les"]


def test_the_excerpt_marks_every_form_of_the_words_and_escapes_the_rest():
    text = "« Avant : <b>repos</b> & calme. Une tension, puis des tensions ; TENSION notée."
    html = text_search.excerpt(text, text_search.query_stems(["Tensions"]))
    assert html == ("« Avant : &lt;b&gt;repos&lt;/b&gt; &amp; calme. Une <mark>tension</mark>, puis des "
                    "<mark>tensions</mark> ; <mark>TENSION</mark> notée.")


def test_the_excerpt_is_about_thirty_words_around_the_first_match():
    words = [f"mot{i}" for i in range(100)]
    words[60] = "artérielle"
    html = text_search.excerpt(" ".join(words), text_search.query_stems(["arterielles"]))
    assert html.startswith("… mot50 ") and html.endswith(" …")
    assert "<mark>artérielle</mark>" in html and len(html.split()) == 32  # 30 words and the two ellipses


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=12), max_size=3))
def test_any_text_gives_an_excerpt_without_markup_but_the_marks(text, words):
    html = str(text_search.excerpt(text, text_search.query_stems(words)))
    assert re.sub(r"</?mark>", "", html).count("<") == 0


# --- The page ------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_plural_accentless_and_feminine_queries_find_the_lesson_and_mark_the_words(client):
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1))
    add_lesson(enrolment.track, "Prendre la pression", SEARCH_TEXT)
    client.force_login(enrolment.trainee)
    for query, marked in [("tensions", "tension"), ("pression arterielle", "artérielle"),
                          ("ARTERIEL", "artérielle"), ("brassard", "brassards"), ("infirmiere", "infirmières")]:
        html = search(client, enrolment, query).content.decode()
        assert "Prendre la pression" in titles_found(html), query
        assert f"<mark>{marked}</mark>" in html, query
        assert "Module : Module 1" in html


@pytest.mark.django_db
def test_every_word_must_be_found_and_the_count_is_in_french(client):
    enrolment = make_enrolment(track=make_track(modules=1, lessons=2))  # "Texte de la leçon … tension artérielle."
    add_lesson(enrolment.track, "Prendre la pression", SEARCH_TEXT)
    client.force_login(enrolment.trainee)
    html = search(client, enrolment, "tension").content.decode()
    assert "3 résultats" in html and len(titles_found(html)) == 3
    html = search(client, enrolment, "tension brassards").content.decode()
    assert "1 résultat<" in html and titles_found(html) == ["Prendre la pression"]
    html = search(client, enrolment, "tension glycémie").content.decode()
    assert "0 résultat" in html and "Aucune leçon ne correspond à ces mots." in html and titles_found(html) == []


@pytest.mark.django_db
def test_an_empty_query_says_what_to_type(client):
    enrolment = make_enrolment()
    client.force_login(enrolment.trainee)
    html = search(client, enrolment, "   ").content.decode()
    assert "Saisissez un ou plusieurs mots" in html and "résultat" not in html


@pytest.mark.django_db
def test_html_in_the_lesson_text_is_quoted_not_run(client):
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1))
    add_lesson(enrolment.track, "Piège", "<p>Le tensiomètre &lt;script&gt;alert(1)&lt;/script&gt; affiche la "
                                          "tension &lt;img src=x onerror=alert(2)&gt; ici.</p>")
    client.force_login(enrolment.trainee)
    html = search(client, enrolment, "tension onerror").content.decode()
    assert titles_found(html) == ["Piège"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "&lt;img src=x <mark>onerror</mark>=alert(2)&gt;" in html and "<img src=x" not in html


@pytest.mark.django_db
def test_draft_lessons_and_other_tracks_are_not_found(client):
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1))
    add_lesson(enrolment.track, "Brouillon", "<p>Le sphygmomanomètre du cabinet.</p>", live=False)
    other = make_track(modules=1, lessons=1)
    add_lesson(other, "Ailleurs", "<p>Le sphygmomanomètre d'un autre organisme.</p>")
    client.force_login(enrolment.trainee)
    html = search(client, enrolment, "sphygmomanometre").content.decode()
    assert titles_found(html) == [] and "Aucune leçon ne correspond" in html
    reader_of_other = make_enrolment(track=other)  # the word is indexed: found in its own track
    client.force_login(reader_of_other.trainee)
    assert titles_found(search(client, reader_of_other, "sphygmomanometre").content.decode()) == ["Ailleurs"]


@pytest.mark.django_db
def test_another_persons_enrolment_is_a_404(client):
    enrolment = make_enrolment()
    client.force_login(make_trainee())
    assert search(client, enrolment, "tension").status_code == 404
    client.logout()
    response = search(client, enrolment, "tension")
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_search_reads_in_a_constant_number_of_queries(client, django_assert_max_num_queries):
    track = make_track(modules=3, lessons=10)
    enrolment = make_enrolment(track=track)
    client.force_login(enrolment.trainee)
    search(client, enrolment, "tension")  # the track's structure into the cache
    with django_assert_max_num_queries(4):  # session user, enrolment, the restrictions' holders, the search
        html = search(client, enrolment, "tension").content.decode()
    assert "30 résultats" in html and html.count("<mark>tension</mark>") == 30


@pytest.mark.django_db
def test_tension_finds_the_shipped_lesson_on_blood_pressure_through_its_text(client):
    """The shipped curriculum: the lesson titled on « pression artérielle » says « tension » in its text."""
    body = make_training_body(name="Institut du test", slug="institut-du-test")
    call_command("load_content", training_body=body.slug, stdout=StringIO())
    track = TrackPage.objects.get(slug="assistant-medical-4-mois")
    lesson = LessonPage.objects.live().descendant_of(track).get(slug="mesurer-la-pression-arterielle")
    assert "tension" not in lesson.title.lower()
    enrolment = make_enrolment(trainee=make_trainee(entry_profile="nurse"), track=track)
    client.force_login(enrolment.trainee)
    html = search(client, enrolment, "tensions").content.decode()
    assert lesson.title in titles_found(html)
    item = html[html.index(lesson.title):]
    item = item[:item.index("</li>")]
    assert "Module : " in item and "<mark>tension</mark>" in item


@pytest.mark.django_db
def test_page_privacy_hides_a_restricted_lessons_text_and_asks_a_restricted_tracks_password(
        client, django_capture_on_commit_callbacks):
    """A lesson under a password is listed by its title without its text; a track under one asks for it first."""
    from wagtail.models import PageViewRestriction

    enrolment = make_enrolment(track=make_track(modules=1, lessons=1))
    secret = add_lesson(enrolment.track, "Réservée", "<p>La tension du secret professionnel.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=secret, restriction_type="password", password="tension-120-80")
    client.force_login(enrolment.trainee)
    html = search(client, enrolment, "tension").content.decode()
    assert "Réservée" in titles_found(html) and "secret professionnel" not in html
    assert "<mark>tension</mark> artérielle" in html  # the other lesson keeps its excerpt
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=enrolment.track, restriction_type="password", password="mdp-120-80")
    response = search(client, enrolment, "tension")
    html = response.content.decode()
    assert 'name="password"' in html and titles_found(html) == [] and "Texte de la leçon" not in html
