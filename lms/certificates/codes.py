"""Verification codes: 100 random bits in an alphabet without look-alike characters, easy to read aloud."""
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
GROUPS, GROUP_SIZE = 4, 5  # 20 characters × log2(31) ≈ 99 bits


def new_code():
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(raw[i:i + GROUP_SIZE] for i in range(0, len(raw), GROUP_SIZE))


def normalise(text):
    """What a person typed or read aloud, in canonical form; None when it cannot be a code."""
    raw = re.sub(r"[\s\-._]", "", str(text or "")).upper()
    if len(raw) != GROUPS * GROUP_SIZE or any(c not in ALPHABET for c in raw):
        return None
    return "-".join(raw[i:i + GROUP_SIZE] for i in range(0, len(raw), GROUP_SIZE))
