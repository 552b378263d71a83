"""deploy/ stays usable: the nginx site for a real server is the template `make prod` runs, nginx accepts
what `rare prod` writes, the systemd units call commands that exist, and the example environment
holds no secret and only documented variables."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rare.core import prodstack

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


def test_the_example_nginx_site_is_the_template_rendered():
    assert (DEPLOY / "nginx" / "rare.conf").read_text() == prodstack.example_site(), (
        "deploy/nginx/rare.conf is out of step with its template: run `python -m rare.core.prodstack --write-example`"
    )


def test_a_placeholder_without_a_value_is_refused():
    with pytest.raises(prodstack.LaunchError, match="STATIC_ROOT"):
        prodstack.render_site({k: v for k, v in prodstack.EXAMPLE_SITE.items() if k != "STATIC_ROOT"})


def test_the_upload_limit_leaves_room_for_the_form():
    assert prodstack.client_max_body_size(20) == "22m"


def test_nginx_accepts_the_configuration_rare_prod_writes(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    state = prodstack.private_dir(tmp_path / "state")
    cert, key = prodstack.self_signed_certificate(prodstack.private_dir(state / "tls"))
    stack = prodstack.Stack(
        state, {"RARE_STATIC_ROOT": str(state / "static")}, port=18443, http_port=18480, app_workers=2, task_workers=2
    )
    prodstack.private_dir(stack.run_dir)
    conf = stack.write_nginx(cert, key)
    result = subprocess.run(  # noqa: S603
        [nginx, "-t", "-q", "-c", str(conf), "-p", str(stack.run_dir)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    site = (stack.run_dir / "rare-site.conf").read_text()
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in site
    assert f"alias {state / 'static'}/;" in site
    assert "client_max_body_size 22m;" in site


def test_the_certificate_and_secrets_are_private(tmp_path):
    tls = prodstack.private_dir(tmp_path / "tls")
    _cert, key = prodstack.self_signed_certificate(tls)
    secret = prodstack.keep_secret(tmp_path / "secret", lambda: "first")
    assert prodstack.keep_secret(tmp_path / "secret", lambda: "second") == secret == "first"
    assert oct(tls.stat().st_mode & 0o777) == "0o700"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "secret").stat().st_mode & 0o777) == "0o600"


def test_the_systemd_units_run_commands_that_exist():
    units = {path.name: path.read_text() for path in (DEPLOY / "systemd").iterdir()}
    assert {"rare-app@.service", "rare-worker@.service", "rare-scheduler.service", "rare.target"} <= set(units)
    from rare.core.management.commands.worker import Command

    options = {opt for action in Command().create_parser("rare", "worker")._actions for opt in action.option_strings}
    for name, text in units.items():
        for flags in re.findall(r"rare worker((?: --[a-z-]+)*)", text):
            assert set(flags.split()) <= options, f"{name}: {flags}"
    assert "rare-app@1.service rare-app@2.service rare-worker@1.service rare-worker@2.service" in units["rare.target"]


def test_the_environment_example_holds_no_secret_and_only_documented_variables():
    readme = (REPO / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.MULTILINE))
    lines = [line for line in (DEPLOY / "rare.env.example").read_text().splitlines() if line and line[0] != "#"]
    variables = dict(line.split("=", 1) for line in lines)
    assert set(variables) <= documented
    assert variables["SECRET_KEY"] == "" and variables["RARE_ENCRYPTION_KEYS"] == ""
    assert variables["RARE_ENV"] == "production"


def test_what_is_missing_is_said_in_one_line():
    with pytest.raises(prodstack.LaunchError, match=r"^PostgreSQL is not reachable at 127.0.0.1:1: "):
        prodstack.ensure_database("postgres://postgres@127.0.0.1:1/rare_prod")
    with pytest.raises(prodstack.LaunchError, match="must point at PostgreSQL"):
        prodstack.ensure_database("sqlite:////tmp/rare.sqlite3")
    with pytest.raises(prodstack.LaunchError, match=r"^Redis is not reachable at redis://127.0.0.1:1/0: "):
        prodstack.ensure_redis("redis://127.0.0.1:1/0")


def test_rare_prod_runs_one_command_with_production_settings(tmp_path):
    """`rare prod -- COMMAND`: the generated secrets satisfy every production check (`check --deploy`)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "RARE_DOTENV": str(tmp_path / "no.env"),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/unused",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    state = tmp_path / "state"
    command = [sys.executable, "-m", "rare", "prod", "--state-dir", str(state), "--", "check", "--deploy"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert oct((state / "secrets").stat().st_mode & 0o777) == "0o700"
    assert len((state / "secrets" / "secret_key").read_text().strip()) >= 50
