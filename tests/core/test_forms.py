"""Shared form fields: dates bounded where they are typed, searches that refuse what a database cannot hold."""
from datetime import date

import pytest
from django import forms
from django.utils import timezone

from lms.core.dates import add_years
from lms.core.display import long_date
from lms.core.forms import EARLIEST_DATE, YEARS_AHEAD, BoundedDateField, SearchForm, query_date


def test_bounded_date_field_accepts_the_plausible_range_and_names_it_in_french():
    field = BoundedDateField()
    latest = add_years(timezone.localdate(), YEARS_AHEAD)
    assert field.clean("01/01/2000") == EARLIEST_DATE and field.clean(latest.isoformat()) == latest
    for typed in ("31/12/9999", "9999-12-31", "31/12/1999", "0001-01-01", add_years(latest, 1).isoformat()):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(typed)
        assert refused.value.messages == [
            f"Saisissez une date comprise entre le 1er janvier 2000 et le {long_date(latest)}."], typed
    with pytest.raises(forms.ValidationError):
        field.clean("31/02/2026")  # not a date at all: Django's own message


def test_bounded_date_field_messages_can_name_each_bound():
    field = BoundedDateField(earliest=date(2019, 1, 1), years_ahead=0,
                             error_messages={"too_early": "trop tôt", "too_late": "trop tard"})
    with pytest.raises(forms.ValidationError, match="trop tôt"):
        field.clean("2018-12-31")
    with pytest.raises(forms.ValidationError, match="trop tard"):
        field.clean(add_years(timezone.localdate(), 1).isoformat())
    assert 'min="2019-01-01"' in field.widget.render("d", None, attrs=field.widget_attrs(field.widget))


def test_every_date_a_person_types_on_the_site_is_bounded():
    """The forms of every app: no plain DateField left, so no typed date escapes the range."""
    import importlib
    import importlib.util
    import inspect
    import pkgutil

    import lms

    checked = 0
    for module_info in pkgutil.iter_modules(lms.__path__):
        if not module_info.ispkg or importlib.util.find_spec(f"lms.{module_info.name}.forms") is None:
            continue
        module = importlib.import_module(f"lms.{module_info.name}.forms")
        for _name, form in inspect.getmembers(module, lambda c: inspect.isclass(c) and issubclass(c, forms.BaseForm)):
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.DateField):
                    checked += 1
                    assert isinstance(field, BoundedDateField), f"{form.__name__}.{field_name}"
    assert checked >= 6  # invitation, enrolment, import, cohort (2), declaration


def test_query_date_gives_the_date_or_nothing():
    assert query_date("2026-03-02") == date(2026, 3, 2) and query_date("02/03/2026") == date(2026, 3, 2)
    for value in ("9999-12-31", "2026-02-30", "\x00", "x" * 5000, "", None, "1e309"):
        assert query_date(value) is None, value


def test_search_form_refuses_a_nul_byte_in_french_and_cuts_long_text():
    refused = SearchForm({"q": "tension\x00"})
    assert not refused.is_valid() and refused.query == "" and refused.words == []
    assert refused.errors["q"] == ["Le caractère nul n’est pas autorisé."]
    long = SearchForm({"q": "  " + "a" * 500 + "  "}, max_length=100)
    assert long.is_valid() and long.query == "a" * 100
    assert SearchForm({"q": '"tension" OR (prise*'}).words == ["tension", "OR", "prise"]
    assert SearchForm({}).query == ""
