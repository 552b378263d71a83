"""`rare prod` (what `make prod` calls): the platform on this machine as it runs in production.

PostgreSQL, Redis, two gunicorn app servers behind nginx (TLS, static files, retries of idempotent
requests on the other server), two task workers and one scheduler, all with `RARE_ENV=production`.
Secrets (secret key, encryption key, a self-signed certificate) are made on the first run into a
private state directory and kept. Ctrl-C stops everything; a process that dies is reported and
started again, as systemd would (deploy/ has the units for a real server).

This module must not load Django settings: production settings refuse to load until the secrets it
makes exist. It only prepares the environment and runs `rare ...`, gunicorn and nginx as children.
`rare prod -- COMMAND ...` runs one `rare` command with the same environment instead (for example
`rare prod -- createsuperuser`).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_DIR = Path(__file__).resolve().parents[3]
TEMPLATE = REPO_DIR / "deploy" / "nginx" / "rare.conf.template"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rare_prod"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"


class LaunchError(Exception):
    """A one-line reason why the stack cannot start, for the operator."""


# --- the nginx configuration --------------------------------------------------------------------


def render_site(values: dict[str, str], template: Path = TEMPLATE) -> str:
    """The nginx site with every @@NAME@@ replaced; an unknown or missing name is an error."""
    text = template.read_text()
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    if "@@" in text:
        missing = sorted({part.split("@@")[0] for part in text.split("@@")[1::2]})
        raise LaunchError(f"the nginx template needs values for: {', '.join(missing)}")
    return text


# The values of deploy/nginx/rare.conf, the site for a real server (with deploy/systemd/ and deploy/rare.env.example).
EXAMPLE_SITE = {
    "APP_SERVER_1": "unix:/run/rare-app1/gunicorn.sock",
    "APP_SERVER_2": "unix:/run/rare-app2/gunicorn.sock",
    "HTTP_LISTEN": "80",
    "HTTPS_LISTEN": "443",
    "HTTPS_PORT_SUFFIX": "",
    "SERVER_NAME": "rare.example.org",
    "TLS_CERTIFICATE": "/etc/letsencrypt/live/rare.example.org/fullchain.pem",
    "TLS_CERTIFICATE_KEY": "/etc/letsencrypt/live/rare.example.org/privkey.pem",
    "CLIENT_MAX_BODY_SIZE": "22m",
    "STATIC_ROOT": "/srv/rare/static",
}
EXAMPLE_HEADER = (
    "# Rendered from deploy/nginx/rare.conf.template for a real server; do not edit here: change the template\n"
    "# and run `python -m rare.core.prodstack --write-example` (a test checks the two are in step).\n"
)


def example_site() -> str:
    return EXAMPLE_HEADER + render_site(EXAMPLE_SITE)


def client_max_body_size(max_upload_mb: int) -> str:
    """The request body limit: the largest upload plus 2 MB for the rest of a multipart form."""
    return f"{max_upload_mb + 2}m"


def main_config(*, site: Path, run_dir: Path, as_root: bool) -> str:
    """A complete nginx.conf for nginx started by `rare prod` (in the foreground, files in run_dir)."""
    temp = run_dir / "nginx-tmp"
    lines = [
        "# Written by `rare prod` on every start; edit deploy/nginx/rare.conf.template instead.",
        # Started by root, nginx's workers would run as `nobody` and could not read the private state
        # directory: they keep the launcher's user, as they do when any other user starts it.
        "user root;" if as_root else "",
        "daemon off;",
        "worker_processes 2;",
        f"pid {run_dir / 'nginx.pid'};",
        "error_log stderr warn;",
        "events { worker_connections 1024; }",
        "http {",
        "    include /etc/nginx/mime.types;",
        "    default_type application/octet-stream;",
        "    access_log off;",
        "    sendfile on;",
        "    tcp_nopush on;",
        f"    client_body_temp_path {temp / 'body'};",
        f"    proxy_temp_path {temp / 'proxy'};",
        f"    fastcgi_temp_path {temp / 'fastcgi'};",
        f"    uwsgi_temp_path {temp / 'uwsgi'};",
        f"    scgi_temp_path {temp / 'scgi'};",
        f"    include {site};",
        "}",
    ]
    return "\n".join(line for line in lines if line) + "\n"


# --- secrets and checks -------------------------------------------------------------------------


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def keep_secret(path: Path, make) -> str:
    """The secret in `path`, made and written owner-only the first time; never overwritten."""
    if path.exists():
        return path.read_text().strip()
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    return value


def self_signed_certificate(tls_dir: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1 (valid one year), made once with openssl."""
    cert, key = tls_dir / "cert.pem", tls_dir / "key.pem"
    if cert.exists() and key.exists():
        return cert, key
    if not shutil.which("openssl"):
        raise LaunchError("openssl is not installed: run 'apt-get install openssl'.")
    old_umask = os.umask(0o077)
    try:
        subprocess.run(  # noqa: S603 - fixed arguments
            [  # noqa: S607 - openssl from PATH, checked above
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "365",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as exc:
        raise LaunchError(f"openssl could not make the certificate: {exc.stderr.decode().strip()}") from exc
    finally:
        os.umask(old_umask)
    return cert, key


def find_nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if not found:
        raise LaunchError("nginx is not installed: run 'apt-get install nginx' (as root), then 'make prod' again.")
    return found


def ensure_database(url: str) -> None:
    """Connect to the PostgreSQL database of `url`, creating the database if the server lacks it."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise LaunchError(f"DATABASE_URL must point at PostgreSQL for production, not {parts.scheme!r}.")
    name = parts.path.lstrip("/")
    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            where = f"{parts.hostname}:{parts.port or 5432}"
            raise LaunchError(f"PostgreSQL is not reachable at {where}: {_first_line(exc)}") from exc
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise LaunchError(f"could not create the database {name!r}: {_first_line(exc)}") from exc
    print(f"Created the PostgreSQL database {name}.")


def ensure_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        raise LaunchError(f"Redis is not reachable at {url}: {_first_line(exc)}") from exc


def ensure_port_free(port: int, option: str) -> None:
    import socket

    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            reason = f"port {port} on 127.0.0.1 is in use ({exc.strerror})"
            raise LaunchError(f"{reason}: choose another with {option}.") from exc


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


# --- the processes ------------------------------------------------------------------------------


@dataclass
class Child:
    """One supervised process; started again when it dies, unless it keeps dying."""

    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    deaths: list[float] = field(default_factory=list)
    restart_at: float = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env)  # noqa: S603 - our own programs

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Stack:
    state: Path
    env: dict[str, str]
    port: int
    http_port: int
    app_workers: int
    task_workers: int
    children: list[Child] = field(default_factory=list)

    @property
    def run_dir(self) -> Path:
        return self.state / "run"

    def rare(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "rare", *args]

    def manage(self, *args: str) -> None:
        result = subprocess.run(self.rare(*args), env=self.env, check=False)  # noqa: S603
        if result.returncode:
            raise LaunchError(f"'rare {' '.join(args)}' failed with exit code {result.returncode}.")

    def write_nginx(self, cert: Path, key: Path) -> Path:
        max_upload = int(self.env.get("RARE_MAX_UPLOAD_MB", "20"))
        site = render_site(
            {
                "APP_SERVER_1": f"unix:{self.run_dir / 'app1.sock'}",
                "APP_SERVER_2": f"unix:{self.run_dir / 'app2.sock'}",
                "HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
                "HTTPS_LISTEN": f"127.0.0.1:{self.port}",
                "HTTPS_PORT_SUFFIX": f":{self.port}",
                "SERVER_NAME": "localhost 127.0.0.1",
                "TLS_CERTIFICATE": str(cert),
                "TLS_CERTIFICATE_KEY": str(key),
                "CLIENT_MAX_BODY_SIZE": client_max_body_size(max_upload),
                "STATIC_ROOT": self.env["RARE_STATIC_ROOT"],
            }
        )
        site_path = self.run_dir / "rare-site.conf"
        site_path.write_text(site)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(main_config(site=site_path, run_dir=self.run_dir, as_root=os.geteuid() == 0))
        return conf

    def plan(self, nginx: str, nginx_conf: Path) -> None:
        for number in (1, 2):
            sock = self.run_dir / f"app{number}.sock"
            self.children.append(
                Child(
                    f"app server {number}",
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "rare.wsgi:application",
                        "--bind",
                        f"unix:{sock}",
                        "--workers",
                        str(self.app_workers),
                        "--name",
                        f"rare-app{number}",
                        "--pid",
                        str(self.run_dir / f"app{number}.pid"),
                        "--timeout",
                        "60",
                        "--graceful-timeout",
                        "20",
                        "--max-requests",
                        "2000",
                        "--no-control-socket",
                        "--preload",
                        "--max-requests-jitter",
                        "200",
                    ],
                    self.env,
                )
            )
        for number in range(1, self.task_workers + 1):
            self.children.append(Child(f"task worker {number}", self.rare("worker", "--no-scheduler"), self.env))
        self.children.append(Child("scheduler", self.rare("worker", "--scheduler-only"), self.env))
        self.children.append(Child("nginx", [nginx, "-c", str(nginx_conf), "-p", str(self.run_dir)], self.env))


def production_environment(args: argparse.Namespace, state: Path) -> dict[str, str]:
    """The environment of every child: what the operator set wins; the rest is filled in."""
    env = dict(os.environ)
    secrets_dir = private_dir(state / "secrets")
    env["RARE_ENV"] = "production"
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    # The task queue in Redis (RQ): `rare worker` then runs RQ workers.
    env.setdefault("RARE_TASK_BACKEND", "rq")
    env.setdefault("SECRET_KEY", keep_secret(secrets_dir / "secret_key", lambda: secrets.token_urlsafe(50)))
    if not env.get("RARE_ENCRYPTION_KEYS"):
        from rare.core.config import new_encryption_key

        env["RARE_ENCRYPTION_KEYS"] = keep_secret(secrets_dir / "encryption_key", new_encryption_key)
    env.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
    env.setdefault("RARE_SITE_URL", f"https://127.0.0.1:{args.port}")
    env.setdefault("RARE_DATA_DIR", str(state))
    env.setdefault("RARE_STATIC_ROOT", str(state / "static"))
    env.setdefault("RARE_MEDIA_ROOT", str(state / "media"))
    env.setdefault("RARE_BEHIND_PROXY", "true")
    env.pop("DEBUG", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="rare prod",
        description="Run the platform as in production on this machine: PostgreSQL, Redis, nginx with TLS, "
        "two gunicorn app servers, two task workers and a scheduler.",
    )
    parser.add_argument("--port", type=int, default=8443, help="HTTPS port of nginx on 127.0.0.1 (default 8443).")
    parser.add_argument("--http-port", type=int, default=8080, help="HTTP port that redirects to HTTPS (default 8080).")
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="Private directory for secrets, the certificate, static and uploaded files (default var/prod).",
    )
    parser.add_argument("--app-workers", type=int, default=3, help="gunicorn workers per app server (default 3).")
    parser.add_argument("--task-workers", type=int, default=2, help="Task workers (default 2).")
    parser.add_argument(
        "command", nargs=argparse.REMAINDER, help="After '--': run this `rare` command with the production settings."
    )
    args = parser.parse_args(argv)
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    state = private_dir((args.state_dir or Path(os.environ.get("RARE_DATA_DIR", REPO_DIR / "var")) / "prod").resolve())
    try:
        env = production_environment(args, state)
        if args.command:
            return subprocess.run([sys.executable, "-m", "rare", *args.command], env=env, check=False).returncode  # noqa: S603
        return launch(args, state, env)
    except LaunchError as exc:
        print(f"rare prod: {exc}", file=sys.stderr)
        return 2


def launch(args: argparse.Namespace, state: Path, env: dict[str, str]) -> int:
    nginx = find_nginx()
    ensure_port_free(args.port, "--port")
    ensure_port_free(args.http_port, "--http-port")
    ensure_database(env["DATABASE_URL"])
    ensure_redis(env["REDIS_URL"])
    cert, key = self_signed_certificate(private_dir(state / "tls"))
    stack = Stack(state, env, args.port, args.http_port, args.app_workers, args.task_workers)
    private_dir(stack.run_dir)
    for stale in stack.run_dir.glob("app*.sock"):
        stale.unlink()
    stack.manage("migrate", "--noinput", "-v", "0")
    print("Database is up to date.")
    stack.manage("collectstatic", "--noinput", "-v", "0")
    print(f"Static files collected into {env['RARE_STATIC_ROOT']}.")
    stack.plan(nginx, stack.write_nginx(cert, key))
    return supervise(stack, args)


def supervise(stack: Stack, args: argparse.Namespace) -> int:
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    # Installed before the children start, so that they do not inherit an ignored SIGINT.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for child in stack.children:
        child.start()
    print(
        f"\nRARE (production settings) is running on https://127.0.0.1:{args.port}/ "
        f"(self-signed certificate in {stack.state / 'tls'}).\n"
        f"  2 app servers x {args.app_workers} workers, {args.task_workers} task workers, 1 scheduler, nginx.\n"
        f"  Secrets are kept in {stack.state / 'secrets'}; first account: make prod ARGS='-- createsuperuser'.\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
    failed = False
    try:
        while not stopping:
            time.sleep(0.5)
            for child in stack.children:
                if stopping or child.running() or time.monotonic() < child.restart_at:
                    continue
                if child.restart_at:  # its pause is over
                    child.restart_at = 0.0
                    print(f"rare prod: starting {child.name} again", file=sys.stderr, flush=True)
                    child.start()
                    continue
                now = time.monotonic()
                child.deaths = [t for t in child.deaths if now - t < 300] + [now]
                code = child.process.returncode
                print(f"rare prod: {child.name} exited with code {code}", file=sys.stderr, flush=True)
                if child.name == "nginx" and len(child.deaths) > 2:
                    # nginx does not die of a passing fault: its configuration or its ports are wrong.
                    print("rare prod: nginx keeps exiting; stopping everything", file=sys.stderr, flush=True)
                    failed = stopping = True
                    break
                # Started again after 1, 2, 4 ... 30 s, as systemd's Restart= would: a database that is
                # away for a minute does not turn into a storm of restarts, nor into giving up.
                child.restart_at = now + min(30.0, 2.0 ** (len(child.deaths) - 1))
    finally:
        shutdown(stack.children)
    print("Stopped nginx, the app servers, the task workers and the scheduler.")
    return 1 if failed else 0


def shutdown(children: list[Child], timeout: float = 25) -> None:
    """SIGTERM to every child (nginx first, so no new request arrives), then SIGKILL what is left."""
    ordered = sorted(children, key=lambda c: c.name != "nginx")
    for child in ordered:
        if child.running():
            # nginx stops fast on SIGTERM and gracefully on SIGQUIT; gunicorn and the workers
            # finish what they are doing on SIGTERM.
            child.process.send_signal(signal.SIGQUIT if child.name == "nginx" else signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in ordered:
        if child.process is None:
            continue
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] == ["--write-example"]:
        (TEMPLATE.parent / "rare.conf").write_text(example_site())
        sys.exit(0)
    sys.exit(main())
