"""Local development: debug on, SQLite file and console email by default."""
from .base import *  # noqa: F401,F403

DEBUG = True
