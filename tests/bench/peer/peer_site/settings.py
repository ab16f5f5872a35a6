"""Settings of the peer: the Django project a Python team would build instead of ours (issue
#19). The bench runs it in a virtualenv of its own against the bench's PostgreSQL database, in a
schema of its own (PEER_DATABASE_URL, PEER_DB_SCHEMA), with the bench's token secret
(PEER_JWT_SECRET)."""

import os
from urllib.parse import urlsplit

_database = urlsplit(os.environ.get("PEER_DATABASE_URL", "postgresql://postgres@127.0.0.1/peer"))
_schema = os.environ.get("PEER_DB_SCHEMA", "public")

SECRET_KEY = "the-peer-signs-nothing-with-it"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django_fsm_log",
    "registry",
]
MIDDLEWARE: list[str] = []
"""A JSON API with bearer tokens: no sessions, no CSRF cookies."""
ROOT_URLCONF = "peer_site.urls"
WSGI_APPLICATION = "peer_site.wsgi.application"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _database.path.lstrip("/"),
        "USER": _database.username or "postgres",
        "PASSWORD": _database.password or "",
        "HOST": _database.hostname or "127.0.0.1",
        "PORT": _database.port or 5432,
        "CONN_MAX_AGE": None,
        "OPTIONS": {"options": f"-c search_path={_schema}"},
    }
}
"""One persistent connection per gunicorn thread, as a tuned deployment keeps them."""
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
JWT_SECRET = os.environ.get("PEER_JWT_SECRET", "")
MAX_TERM_MONTHS = 36
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
