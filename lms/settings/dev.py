"""Local development: debug on, SQLite file and console email by default."""
from .base import *  # noqa: F401,F403

DEBUG = True
XAPI_VALIDATE_ON_RECORD = True  # a statement of a wrong shape fails the request that built it
