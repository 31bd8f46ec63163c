import pytest
from tests.security import test_permission_matrix as m
from tests.security.test_permission_matrix import world  # noqa

pytestmark = pytest.mark.django_db

def test_dump(world):
    out = []
    for entry in m.PATTERNS:
        path = m._path_for(entry, world)
        row = []
        for role in m.ATTACKERS:
            for method in ("get", "post"):
                data = m.POST_BODIES[entry.name](world) if method == "post" and entry.name in m.POST_BODIES else {}
                r = m.request(m.client_for(world, role), method, path, data)
                s = str(r.status_code)
                if r.status_code == 302:
                    s += "L" if m.is_login_redirect(r) else ">" + r["Location"][:25]
                row.append(s)
        out.append(f"{entry.label:28} " + " ".join(f"{x:8}" for x in row))
    print("\n" + "\n".join(out))
