"""The one rule for the names of zip entries (lms.core.zipsafe.unsafe_member_name): content packages and SCORM
packages refuse the same names, and a name it accepts cannot leave the folder it is unpacked or served from."""
import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.core.zipsafe import unsafe_member_name
from lms.scorm.validation import safe_member_name

REFUSED = ["", "/etc/passwd", "../x", "a/../../x", "a/./b", "./a", "a//b", "a\\b", "C:/x", "C:x", "a\x00b", ".",
           "..", "a/.."]
ACCEPTED = ["index.html", "media/image.png", "a/b/c.txt", "dossier/", "fichier.tar.gz", "..hidden", "a..b/c",
            "é/à.html"]


@pytest.mark.parametrize("name", REFUSED)
def test_names_that_could_leave_the_folder_are_refused_by_both_checkers(name):
    assert unsafe_member_name(name) and safe_member_name(name) is None


@pytest.mark.parametrize("name", ACCEPTED)
def test_ordinary_names_are_accepted_by_both_checkers(name):
    assert not unsafe_member_name(name) and safe_member_name(name) == name


@given(st.text(alphabet=st.sampled_from(list("ab./\\:\x00é")), max_size=12))
def test_an_accepted_name_stays_inside_its_folder(name):
    if not unsafe_member_name(name):
        target = posixpath.normpath(posixpath.join("/srv/package", name))
        assert target.startswith("/srv/package/") and ".." not in target.split("/")
    assert (safe_member_name(name) is None) == unsafe_member_name(name)
