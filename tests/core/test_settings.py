"""Production refuses to start unsafely; SQLite is shared safely by web, worker and beat."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="False")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY="x" * 20 + "-production-secret-key-of-sufficient-length",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert "en" in dict(settings.LANGUAGES)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-specific connection setup")
def test_sqlite_uses_wal_and_a_busy_timeout(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20_000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


WRITER = """
import django, os
django.setup()
from django.db import transaction
from apps.directory.models import Region
for i in range({n}):
    with transaction.atomic():
        region = Region.objects.get(division_code="320600")  # read, then write
        region.name = "南通市-{tag}-%d" % i
        region.save()
print("ok")
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-specific locking")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_processes_never_hit_database_is_locked():
    from apps.directory.models import Region

    Region.objects.create(name="南通市", division_code="320600", level="city")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER.format(n=150, tag=tag)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in "abc"
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for (out, err), proc in zip(outputs, procs, strict=True):
        assert proc.returncode == 0 and "locked" not in err, err
        assert out.strip() == "ok"


def _settings_in_a_fresh_process(code, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", f"import config.settings as s; {code}"],
        cwd=ROOT,
        env={**base, "DJANGO_DEBUG": "True", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_env_file_is_read_before_any_setting_and_importing_creates_nothing(tmp_path):
    var = tmp_path / "elsewhere"
    env_file = tmp_path / "demo.env"
    env_file.write_text(f"DJANGO_VAR_DIR={var}\nTICKET_BATCH_LIMIT=250\n")
    result = _settings_in_a_fresh_process(
        "print(s.VAR_DIR, s.TICKET_BATCH_LIMIT, s.DATABASES['default']['NAME'])",
        DJANGO_ENV_FILE=str(env_file),
    )
    assert result.returncode == 0, result.stderr
    var_dir, limit, database = result.stdout.split()
    assert (var_dir, limit) == (str(var), "250")  # DJANGO_VAR_DIR from .env is honoured
    assert database == str(var / "db.sqlite3")
    assert not var.exists()  # importing the settings made no directory


def test_django_makes_the_local_directories_when_it_starts(tmp_path):
    var = tmp_path / "var"
    result = manage("check", DJANGO_DEBUG="True", DJANGO_VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    assert (var / "celery-broker" / "queue").is_dir() and (var / "staticfiles").is_dir()
