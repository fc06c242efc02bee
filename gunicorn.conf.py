"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (see README, "Run in production")."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
wsgi_app = "timetracker.wsgi:application"
accesslog = None  # the app logs each request itself, as JSON with its request id
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Let the app's system checks see how many processes will count rate limits (timetracker.checks).
os.environ["WEB_CONCURRENCY"] = str(workers)


def on_starting(server):
    import django
    from django.core import checks

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timetracker.settings")
    django.setup()
    for message in checks.run_checks(tags=[checks.Tags.caches]):
        if message.level >= checks.WARNING and not message.is_silenced():
            server.log.warning("%s", message)
