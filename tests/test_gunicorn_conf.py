"""gunicorn.conf.py: the production server's settings, read from the environment."""

import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
VARIABLES = (
    "HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_PRELOAD", "ACCESS_LOG", "GUNICORN_CONTROL_SOCKET", "GUNICORN_MAX_REQUESTS",
)  # fmt: skip


@pytest.fixture
def config(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def load(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONFIG))

    return load


def test_defaults_bind_every_interface_on_8000_with_two_sync_workers_preloaded(config):
    conf = config()
    assert conf["bind"] == ["0.0.0.0:8000"]
    assert (conf["workers"], conf["worker_class"], conf["threads"]) == (2, "sync", 1)
    assert conf["preload_app"] is True
    assert (conf["timeout"], conf["graceful_timeout"]) == (30, 25)
    assert conf["accesslog"] is None and conf["errorlog"] == "-"


def test_host_port_and_web_concurrency_come_from_the_environment(config):
    conf = config(HOST="127.0.0.1", PORT="5000", WEB_CONCURRENCY="7")
    assert conf["bind"] == ["127.0.0.1:5000"] and conf["workers"] == 7


def test_an_ipv6_host_is_bracketed(config):
    assert config(HOST="::1", PORT="5000")["bind"] == ["[::1]:5000"]


def test_threads_switch_to_the_gthread_worker(config):
    conf = config(GUNICORN_THREADS="4")
    assert (conf["worker_class"], conf["threads"]) == ("gthread", 4)


def test_access_log_goes_to_stdout_only_when_asked(config):
    assert config(ACCESS_LOG="true")["accesslog"] == "-"
    assert config(ACCESS_LOG="false")["accesslog"] is None


def test_a_bad_boolean_names_the_variable_and_what_is_allowed(config):
    with pytest.raises(ValueError, match="ACCESS_LOG='sometimes': use true or false"):
        config(ACCESS_LOG="sometimes")


def test_a_bad_number_names_the_variable_and_what_is_allowed(config):
    with pytest.raises(ValueError, match="WEB_CONCURRENCY='two': use a whole number of 0 or more"):
        config(WEB_CONCURRENCY="two")


def test_two_masters_on_one_machine_share_no_control_socket_unless_given_their_own(config, tmp_path):
    conf = config()
    assert conf["control_socket_disable"] is True and "control_socket" not in conf
    own = str(tmp_path / "web-a.ctl")
    conf = config(GUNICORN_CONTROL_SOCKET=own)
    assert conf["control_socket"] == own and "control_socket_disable" not in conf


def test_max_requests_recycles_workers_with_jitter(config):
    conf = config(GUNICORN_MAX_REQUESTS="1000")
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (1000, 100)
