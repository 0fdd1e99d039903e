"""The Procfile (Heroku, Dokku, honcho): one release phase, web on gunicorn with
the repository's config and $PORT, a Celery worker and beat, each command
runnable from this checkout."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The programs a PaaS finds on PATH once requirements.txt is installed: this venv's.
PATH = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def procfile() -> dict[str, list[str]]:
    """Process type → argv, as honcho parses it (`name: command`, one a line)."""
    processes = {}
    for number, line in enumerate((ROOT / "Procfile").read_text().splitlines(), start=1):
        name, sep, command = line.partition(":")
        assert sep and name.strip() and command.strip(), f"Procfile line {number} is not 'name: command': {line!r}"
        assert name not in processes, f"Procfile names {name!r} twice"
        processes[name] = shlex.split(command)
    return processes


def test_the_procfile_declares_release_web_worker_and_beat_and_nothing_else():
    assert list(procfile()) == ["release", "web", "worker", "beat"]


@pytest.mark.parametrize("name", ["release", "web", "worker", "beat"])
def test_each_process_runs_a_program_installed_by_requirements(name):
    program = procfile()[name][0]
    assert shutil.which(program, path=PATH), f"{name}: {program!r} is not on PATH"


def test_release_migrates_without_asking_and_only_migrates():
    # One release command per deploy, before the new web processes take traffic;
    # static files are collected at build time (their files must be in the image).
    assert procfile()["release"] == ["python", "manage.py", "migrate", "--noinput"]


def test_web_is_gunicorn_on_the_project_wsgi_app_with_the_repository_config():
    argv = procfile()["web"]
    assert argv[0] == "gunicorn" and "interview_bank.wsgi" in argv
    assert argv[argv.index("--config") + 1] == "gunicorn.conf.py"
    assert (ROOT / "gunicorn.conf.py").is_file()
    # The port comes from $PORT through the config, never a fixed --bind here.
    assert not any(arg.startswith(("-b", "--bind")) for arg in argv)


def test_the_web_command_loads_its_config_and_the_app_and_binds_port():
    argv = procfile()["web"]
    done = subprocess.run(  # noqa: S603 - the Procfile's own command
        [shutil.which(argv[0], path=PATH), *argv[1:], "--check-config", "--print-config"],
        cwd=ROOT, env={**os.environ, "PORT": "5123", "HOST": ""}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    printed = dict(re.findall(r"^(\w+)\s+= (.*)$", done.stdout, flags=re.MULTILINE))
    assert printed["bind"] == "['0.0.0.0:5123']"
    assert printed["preload_app"] == "True" and printed["control_socket_disable"] == "True"


def test_worker_and_beat_run_the_project_celery_app():
    processes = procfile()
    for name, subcommand in (("worker", "worker"), ("beat", "beat")):
        argv = processes[name]
        assert argv[:3] == ["celery", "-A", "interview_bank"] and argv[3] == subcommand, argv
    # Beat's schedule file only records last run times, somewhere that exists on
    # a fresh dyno (var/ is not in the repository).
    beat = processes["beat"]
    assert Path(beat[beat.index("--schedule") + 1]).parent.is_dir()
