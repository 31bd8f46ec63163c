"""Password hashing: Argon2id with costs measured on the production machine kind.

A login storm (a class of 300 logging in at the start of a session, issue 14) must not saturate 2 cores: PBKDF2 at
Django 5.2's 1,000,000 iterations took 400 ms of CPU per login here, Django's Argon2 defaults (t=2, 100 MiB, p=8)
190-330 ms. OWASP's first Argon2id configuration (m=19 MiB, t=2, p=1) took 35 ms of CPU (median of 20 checks,
argon2-cffi 25.1, 2-core machine, November 2026): 600 logins then cost 21 s of CPU in all, and each hash still
needs 19 MiB of memory, which is what makes Argon2 costly to attack on GPUs.
"""
from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    """Django's Argon2id hasher (same `argon2$` format) with OWASP's m=19 MiB, t=2, p=1.

    Hashes made with other costs (PBKDF2, or Argon2 with Django's defaults) are rewritten at the next login.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
