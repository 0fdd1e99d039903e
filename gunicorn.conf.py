"""Gunicorn settings for every way the product serves: the Procfile's `web:`,
`make run` (bin/run) and the scale-out test. Read from the environment, so one
file fits a laptop, a PaaS dyno and a fleet of machines (docs/operations.md).

    gunicorn interview_bank.wsgi --config gunicorn.conf.py
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ValueError(f"{name}={value!r}: use a whole number of 0 or more")
    return int(value)


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}={value!r}: use true or false")


# --- Where -------------------------------------------------------------------
# PaaS routers (Heroku, Dokku) hand the port in $PORT and reach the process
# from outside its network namespace, hence every interface by default;
# bin/run exports HOST=127.0.0.1 so a laptop stays private.
_host = os.environ.get("HOST", "") or "0.0.0.0"  # noqa: S104 - see above
_port = _int("PORT", 8000)
bind = [f"[{_host}]:{_port}" if ":" in _host else f"{_host}:{_port}"]

# --- How many ------------------------------------------------------------------
# WEB_CONCURRENCY is the PaaS convention for the process count (Heroku sets it
# from the dyno size). Each worker is one Python process handling one request
# at a time, with its own database connection, pools and read-cache LRU, so
# workers × machines is also the PostgreSQL connection count (docs/operations.md).
# 2 per core is a start: requests wait on PostgreSQL and Redis part of the time.
workers = _int("WEB_CONCURRENCY", 2)
# Sync workers: the API's requests are short and do their waiting on the
# database, which a sync worker does without a GIL contest between threads.
# They need a buffering proxy (nginx, a PaaS router) in front so a slow client
# cannot hold a worker. GUNICORN_THREADS > 1 switches to gthread, for a
# deployment without such a proxy or with many idle keep-alive clients; each
# thread then holds its own database connection.
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# --- How long ------------------------------------------------------------------
# A request still running after this many seconds is a bug or a stuck
# dependency: the worker is killed and replaced instead of holding a slot.
# No endpoint is designed to take more than a fraction of a second.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a deploy, a scale-down, Ctrl-C in bin/run) workers finish their
# current request for up to this long. Under Heroku's 30 s between SIGTERM and
# SIGKILL, so the master gets to stop its workers itself.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 25)
# Behind a load balancer that reuses connections, keep-alive above its idle
# timeout avoids the race where it sends on a connection we just closed.
# Sync workers ignore it (they close after each response).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle a worker after this many requests (plus jitter, so they do not all
# restart at once): a bound on any slow memory growth. Off by default; the
# read cache is already bounded (BANK_READ_CACHE_LOCAL_BYTES).
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10

# --- Loading -------------------------------------------------------------------
# Preloaded: Django is imported and set up once in the master, then forked, so
# workers start in milliseconds, share the imported code's memory
# copy-on-write, and a deploy whose code does not import fails at boot instead
# of as a crash loop of workers. Safe here because nothing opens a connection
# at import (database, Redis and broker connections are made lazily, per
# worker, on first use). The price: `kill -HUP` re-forks the old code, so a
# code change needs a restart of the master, which a deploy does anyway.
preload_app = _bool("GUNICORN_PRELOAD", True)
# The heartbeat file of each worker, in memory where there is such a
# directory: on a container's overlay disk its fchmod can block the worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's own advice

# --- Logs ----------------------------------------------------------------------
# Errors and lifecycle to stderr; one access line per request to stdout only
# when asked (ACCESS_LOG=true): PaaS routers and proxies log each request
# already, and Django logs every 4xx/5xx itself (LOGGING in settings).
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = "-" if _bool("ACCESS_LOG", False) else None

# --- Behind a proxy ------------------------------------------------------------
# Gunicorn trusts X-Forwarded-Proto (and sets wsgi.url_scheme) only from the
# addresses in FORWARDED_ALLOW_IPS, which gunicorn reads from the environment
# itself (default 127.0.0.1,::1: a proxy on the same machine). With the proxy
# on another host, set it to that host's address or network; `*` only where
# nothing but the proxy can reach the port (a PaaS router). Django's own view
# of HTTPS comes from SECURE_PROXY_SSL_HEADER (set when DEBUG is off), which
# trusts the header from anyone who reaches the port: the same rule applies.

# --- Control socket --------------------------------------------------------------
# Gunicorn ≥ 25.1 opens a control socket at one fixed path per user
# ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl): two masters on one machine
# (the scale-out test, two apps under one user) would fight over it. Off
# unless GUNICORN_CONTROL_SOCKET names a path of this master's own.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
if _control_socket:
    control_socket = _control_socket
else:
    control_socket_disable = True

proc_name = os.environ.get("GUNICORN_PROC_NAME", "interview-bank")
