"""The benchmark: seed (or reuse) a PostgreSQL database, serve the app under gunicorn, load each endpoint
from a separate process, and print a table (see README, "Benchmark").

    bench/run                      # a million entries in the timetracker_bench database (seeded once)
    bench/run --quick              # 20,000 entries, 1 s an endpoint: CI's smoke run
    bench/run --only "v1 list" --duration 30 --concurrency 1,8,16
    bench/run --no-load --explain /tmp/plans    # queries, raw SQL and EXPLAIN (ANALYZE, BUFFERS) only

For each endpoint: requests/s and p50/p95/p99 latency at each concurrency (wrk, or bench/loadgen.py
without it), the SQL queries one request issues (captured with Django's test client against the same
database), and the time those same SQL statements take alone, sent with psycopg on one connection
(median of several runs, writes rolled back). "API/SQL" is the one-client p50 over that time. Then the
RSS of each gunicorn worker before and after --memory-requests requests.

Exit status: 1 if a captured request failed, more than 1% (and more than 2) of an endpoint's requests
under load failed, or a list endpoint issued more than 5 queries (those are deterministic; timings are
not, so targets missed on time only show in the table).
"""

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/timetracker_bench"
QUICK_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/timetracker_bench_quick"
BENCH_NOTE = "bench:"  # notes of entries the benchmark writes; removed afterwards
TOKEN_NAME = "bench"
MAX_LIST_QUERIES = 5
RANDOM_PAGE_COST = 1.1  # set on the benchmark database: see docs/performance.md, "Deployment notes"
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}
INPROCESS_RUNS = 5


@dataclass
class Endpoint:
    name: str
    paths: list  # one path, or several a connection cycles through (timer start, stop)
    token: str = "admin"  # admin | member | timer
    method: str = "GET"
    bodies: list = field(default_factory=list)
    accept: str = "application/json"
    is_list: bool = False  # a list: at most MAX_LIST_QUERIES queries whatever the page size
    targets: dict = field(default_factory=dict)  # p95_c1 (ms), rps_c8, ratio (× raw SQL)

    @property
    def methods(self):
        return [self.method] * len(self.paths) if isinstance(self.method, str) else self.method

    @property
    def writes(self):
        return any(method != "GET" for method in self.methods)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reseed", action="store_true", help="Seed again even if the database has the data.")
    parser.add_argument("--quick", action="store_true",
                        help="Smoke run: 20,000 entries (timetracker_bench_quick), 1 s an endpoint, 1,000 "
                             "requests for the memory check.")
    parser.add_argument("--duration", type=float, default=10, help="Seconds of load per endpoint and concurrency.")
    parser.add_argument("--warmup", type=float, default=2, help="Seconds of load before each measurement.")
    parser.add_argument("--concurrency", default="1,8", help="Comma-separated client counts (default 1,8).")
    parser.add_argument("--only", help="Comma-separated endpoint names (or name prefixes).")
    parser.add_argument("--memory-requests", type=int, default=10_000, help="0 skips the memory check.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--no-load", action="store_true", help="Only queries, raw SQL times (and --explain).")
    parser.add_argument("--explain", metavar="DIR", help="Write EXPLAIN (ANALYZE, BUFFERS) of every query here.")
    parser.add_argument("--profile", metavar="NAME", help="Profile one request of this endpoint (cProfile).")
    parser.add_argument("--json", metavar="PATH", help="Also write the results as JSON.")
    args = parser.parse_args()
    if args.quick:
        args.entries, args.users, args.projects = 20_000, 10, 20
        args.duration, args.warmup = min(args.duration, 1), 0
        args.memory_requests = min(args.memory_requests, 1_000)
    args.concurrency = [int(part) for part in args.concurrency.split(",") if part.strip()]
    return args


def log(message):
    print(message, file=sys.stderr, flush=True)


# The environment: production settings, generous rate limits


def bench_environment(args) -> dict:
    database_url = os.environ.get("DATABASE_URL") or (QUICK_DATABASE_URL if args.quick else DEFAULT_DATABASE_URL)
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/run needs PostgreSQL: set DATABASE_URL=postgres://…")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "timetracker.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on localhost; in production the proxy terminates TLS
        "RATE_LIMIT_TOKEN_PER_MINUTE": "100000000/m",
        "RATE_LIMIT_TOKEN_PER_HOUR": "1000000000/h",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "1",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    if redis_reachable(redis_url):
        env["REDIS_URL"] = redis_url
    else:
        log(f"Redis at {redis_url} is not reachable: each worker counts rate limits alone.")
        env.pop("REDIS_URL", None)
    return env


def redis_reachable(url) -> bool:
    import socket

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_database(database_url):
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"Creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')
        if database_url in (DEFAULT_DATABASE_URL, QUICK_DATABASE_URL):  # the benchmark's own, not a DATABASE_URL
            # The stock 4 prices data that sits in memory as if it were read from a spinning disk.
            connection.execute(f'ALTER DATABASE "{name}" SET random_page_cost = {RANDOM_PAGE_COST}')


def manage(env, *arguments, capture=False):
    command = [sys.executable, str(ROOT / "manage.py"), *arguments]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, text=True,
                          stdout=subprocess.PIPE if capture else None)


# The data set


def prepare_data(args, env) -> float | None:
    """Seed unless the database already holds this data set; returns the seeding time, or None if reused."""
    from django.contrib.auth import get_user_model

    from timeentries.models import TimeEntry
    from timetracker.demo_data import DEMO_USERNAME_PREFIX

    remove_bench_rows()
    users = get_user_model().objects.filter(username__startswith=DEMO_USERNAME_PREFIX).count()
    entries = TimeEntry.all_objects.count()
    if not args.reseed and (entries, users) == (args.entries, args.users):
        log(f"Reusing {entries:,} entries of {users} demo users")
        return None
    log(f"Seeding {args.entries:,} entries, {args.users} users, {args.projects} projects")
    started = time.monotonic()
    manage(env, "seed_demo", "--reset", f"--entries={args.entries}", f"--users={args.users}",
           f"--projects={args.projects}", f"--seed={args.seed}")
    return time.monotonic() - started


def remove_bench_rows():
    """Entries and tokens an earlier run wrote."""
    from django.db import connection

    from apitokens.models import APIToken
    from timeentries.models import TimeEntry

    deleted, _ = TimeEntry.all_objects.filter(notes__startswith=BENCH_NOTE).delete()
    APIToken.objects.filter(name=TOKEN_NAME).delete()
    if deleted:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) timeentries_timeentry, timeentries_timeentry_tags")


def stop_bench_timers():
    """Remove the timers a load run left running (it ends at any request, maybe after a start)."""
    from timeentries.models import TimeEntry

    time.sleep(0.5)  # requests still in flight when the load generator stopped
    TimeEntry.all_objects.filter(notes__startswith=BENCH_NOTE, end_time__isnull=True).delete()


@dataclass
class Fixture:
    tokens: dict  # kind -> list of plaintext tokens
    project_id: int
    codebase_permalink: str
    today: datetime.date
    first_day: datetime.date


def make_fixture(max_concurrency) -> Fixture:
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.utils import timezone

    from apitokens.services import api_token_create
    from projects.models import Project
    from timeentries.models import TimeEntry
    from timetracker.demo_data import DEMO_USERNAME_PREFIX

    User = get_user_model()
    demo = User.objects.filter(username__startswith=DEMO_USERNAME_PREFIX).order_by("username")
    running = set(TimeEntry.objects.running().values_list("user_id", flat=True))
    admin = demo.filter(is_staff=True).first()
    members = [user for user in demo.filter(is_staff=False) if user.pk not in running]
    if admin is None or not members:
        sys.exit("The database has no demo admin or no demo user without a running timer; use --reseed.")
    idle = [user for user in demo if user.pk not in running]
    timer_users = [idle[i % len(idle)] for i in range(min(max_concurrency, len(idle)))]

    def token(user, scopes=("admin:all",)):
        return api_token_create(user=user, name=TOKEN_NAME, scopes=list(scopes))[1]

    today = timezone.now().date()
    recent = Q(time_entries__start_time__gte=timezone.now() - datetime.timedelta(days=30),
               time_entries__deleted_at__isnull=True)
    busiest = (Project.objects.filter(status=Project.Status.ACTIVE, client__isnull=False)
               .annotate(recent=Count("time_entries", filter=recent)).order_by("-recent", "id").first())
    first = TimeEntry.objects.order_by("start_time").values_list("start_time", flat=True).first() or timezone.now()
    return Fixture(
        tokens={"admin": [token(admin)], "member": [token(members[0])],
                "timer": [token(user, ["write:time_entries"]) for user in timer_users]},
        project_id=busiest.pk, codebase_permalink=busiest.permalink, today=today, first_day=first.date(),
    )


def endpoints(fx: Fixture) -> list[Endpoint]:
    today, ago = fx.today, lambda days: fx.today - datetime.timedelta(days=days)
    tw = lambda day: day.strftime("%Y%m%d")  # noqa: E731
    window = f"fromdate={tw(ago(29))}&todate={tw(today)}"
    entry = json.dumps({"project_id": fx.project_id, "start_time": f"{ago(1)}T09:00:00Z",
                        "end_time": f"{ago(1)}T10:30:00Z", "notes": f"{BENCH_NOTE} load", "tags": "development"})
    timer = json.dumps({"project_id": fx.project_id, "notes": f"{BENCH_NOTE} timer"})
    list_targets = {"p95_c1": 30, "rps_c8": 150, "ratio": 3}
    window_targets = {"p95_c1": 40, "ratio": 3}
    all_time_targets = {"p95_c1": 300, "ratio": 3}
    search_targets = {"p95_c1": 50, "ratio": 3}
    return [
        Endpoint("v1 list", ["/api/v1/time-entries?per_page=100"], is_list=True, targets=list_targets),
        Endpoint("v1 list project+dates",
                 [f"/api/v1/time-entries?per_page=100&project_id={fx.project_id}&start_date={ago(90)}&end_date={today}"],
                 is_list=True, targets=list_targets),
        Endpoint("v1 list non-admin", ["/api/v1/time-entries?per_page=100"], token="member", is_list=True,
                 targets=list_targets),
        Endpoint("v1 summary 30 days", ["/api/v1/reports/summary"], targets=window_targets),
        Endpoint("v1 summary all time", [f"/api/v1/reports/summary?start_date={fx.first_day}&end_date={today}"],
                 targets=all_time_targets),
        Endpoint("v1 search common", ["/api/v1/search?q=checkout"], targets=search_targets),
        Endpoint("v1 search rare", ["/api/v1/search?q=kubernetes"], targets=search_targets),
        Endpoint("v1 search no match", ["/api/v1/search?q=xylophone"], targets=search_targets),
        Endpoint("v1 inventory valuation", ["/api/v1/inventory/reports/valuation"], targets={"ratio": 3}),
        Endpoint("tw entries pageSize=500", ["/teamwork/time_entries.json?pageSize=500"], is_list=True,
                 targets={"ratio": 3}),
        Endpoint("tw time total all", ["/teamwork/time/total.json"], targets=all_time_targets),
        Endpoint("tw time total 30 days", [f"/teamwork/time/total.json?{window}"], targets=window_targets),
        Endpoint("tw projects total all", ["/teamwork/projects/time/total.json"], is_list=True,
                 targets=all_time_targets),
        Endpoint("tw projects total 30 days", [f"/teamwork/projects/time/total.json?{window}"], is_list=True,
                 targets=window_targets),
        Endpoint("cb sessions month", [f"/codebase/{fx.codebase_permalink}/time_sessions/month"],
                 accept="application/xml", is_list=True, targets={"ratio": 3}),
        Endpoint("v1 create entry", ["/api/v1/time-entries"], method="POST", bodies=[entry]),
        Endpoint("v1 timer start+stop", ["/api/v1/timer/start", "/api/v1/timer/stop"], method="POST",
                 bodies=[timer, ""], token="timer"),
    ]


# One request through Django: queries, raw SQL, plans, profile


@dataclass
class Capture:
    status: list
    queries: list  # per request kind: list of SQL strings
    inprocess_ms: float  # the fastest of a few requests through the test client: the app's own time
    sql_ms: float | None = None


def client_request(client, endpoint, index, token):
    return client.generic(
        endpoint.methods[index], endpoint.paths[index], data=(endpoint.bodies[index] if endpoint.bodies else "") or "",
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT=endpoint.accept,
    )


def capture(endpoint, fx) -> Capture:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client, token = Client(), fx.tokens[endpoint.token][0]
    for index in range(len(endpoint.paths)):  # warm: the first use of a token writes last_used_at
        client_request(client, endpoint, index, token)
    statuses, queries = [], []
    for index in range(len(endpoint.paths)):
        # Every statement the data takes, the total's count included even where the app serves it from the
        # cache (timetracker.counts): that is the raw SQL the API is compared with.
        with override_settings(LIST_COUNT_CACHE=False), CaptureQueriesContext(connection) as captured:
            response = client_request(client, endpoint, index, token)
        statuses.append(response.status_code)
        # Django also logs its transaction control (BEGIN, COMMIT); the replay runs in a transaction of its own.
        queries.append([query["sql"] for query in captured.captured_queries
                        if query["sql"] not in TRANSACTION_CONTROL])
    times = []
    for _ in range(INPROCESS_RUNS):
        started = time.perf_counter()
        for index in range(len(endpoint.paths)):
            client_request(client, endpoint, index, token)
        times.append((time.perf_counter() - started) / len(endpoint.paths))
    return Capture(statuses, queries, min(times) * 1000)


def raw_sql_ms(database_url, statements, repeats=15) -> float:
    """Median time of sending these statements one after another on one connection, in a transaction
    that is rolled back (so writes leave nothing behind)."""
    import psycopg

    times = []
    with psycopg.connect(database_url) as connection:
        for run in range(repeats + 2):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for number, sql in enumerate(statements):
                    try:
                        cursor.execute(sql)  # no parameters: psycopg sends the text as it is
                    except psycopg.Error as exc:
                        raise RuntimeError(f"Run {run}: statement {number + 1} of {len(statements)} failed: {exc}\n{sql}") from exc
                    if cursor.description is not None:
                        cursor.fetchall()
            elapsed = time.perf_counter() - started
            connection.rollback()
            if run >= 2:  # the first two warm the caches
                times.append(elapsed)
    return statistics.median(times) * 1000


def explain(database_url, endpoint, cap, directory):
    import psycopg

    path = Path(directory) / (re.sub(r"[^a-z0-9]+", "-", endpoint.name.lower()).strip("-") + ".txt")
    lines = [f"# {endpoint.name}: {' | '.join(endpoint.paths)}", ""]
    with psycopg.connect(database_url) as connection:
        for kind, statements in zip(endpoint.paths, cap.queries):
            for sql in statements:
                if not sql.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE")):
                    continue
                plan = connection.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql).fetchall()
                lines += [f"-- {kind}", sql, "", *[row[0] for row in plan], ""]
                connection.rollback()
    path.write_text("\n".join(lines))


def profile(endpoint, fx):
    import cProfile
    import pstats

    from django.test import Client

    client, token = Client(), fx.tokens[endpoint.token][0]
    client_request(client, endpoint, 0, token)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client_request(client, endpoint, 0, token)
    profiler.disable()
    log(f"Profile of 5 requests of {endpoint.name} (cumulative):")
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(20)


# The server and the load


class Server:
    """gunicorn with the project's gunicorn.conf.py: 2 workers, production settings."""

    def __init__(self, env, port, log_path):
        self.env, self.port, self.log_path = env, port, log_path

    def __enter__(self):
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=self.env,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2) as response:
                    if response.status == 200 and len(self.workers()) >= 2:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.__exit__()
        sys.exit(f"gunicorn did not answer within 30 s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the session gunicorn leads: master and its workers
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def warm(self, endpoints, fx, rounds=4):
        """A few requests to every read endpoint, so no measurement pays a worker's first imports,
        database connection or URL resolution."""
        for endpoint in endpoints:
            if endpoint.writes:
                continue
            request = urllib.request.Request(self.url + endpoint.paths[0], headers={
                "Authorization": f"Bearer {fx.tokens[endpoint.token][0]}", "Accept": endpoint.accept})
            for _ in range(rounds):
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()

    def workers(self) -> list[int]:
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    children.append(int(entry.name))
        return sorted(children)

    def rss_mb(self) -> dict[int, float]:
        sizes = {}
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes[pid] = int(line.split()[1]) / 1024
        return sizes


def load(server, endpoint, fx, *, concurrency, duration, loadgen) -> dict:
    """Run the load generator in its own process for ``duration`` seconds; returns its BENCH_JSON summary."""
    env = {
        **os.environ,
        "BENCH_METHODS": "|".join(endpoint.methods),
        "BENCH_PATHS": "|".join(endpoint.paths),
        "BENCH_BODIES": "|".join(endpoint.bodies or [""] * len(endpoint.paths)),
        "BENCH_TOKENS": ",".join(fx.tokens[endpoint.token]),
        "BENCH_ACCEPT": endpoint.accept,
    }
    if loadgen == "wrk":
        command = ["wrk", f"-t{concurrency}", f"-c{concurrency}", f"-d{max(1, round(duration))}s", "--timeout", "30s",
                   "-s", str(ROOT / "bench" / "wrk.lua"), server.url]
    else:
        command = [sys.executable, str(ROOT / "bench" / "loadgen.py"), "--url", server.url,
                   f"--connections={concurrency}", f"--duration={duration}"]
    result = subprocess.run(command, env=env, text=True, capture_output=True)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            summary = json.loads(line[len("BENCH_JSON "):])
            summary["rps"] = summary["requests"] / (summary["duration_us"] / 1e6) if summary["duration_us"] else 0
            return summary
    sys.exit(f"The load generator failed:\n{result.stdout}\n{result.stderr}")


# Every API and kind of endpoint, but the ones that take long at a million entries, so the rounds stay short.
MEMORY_MIX = ["v1 list project+dates", "v1 list non-admin", "v1 summary 30 days", "v1 search common",
              "v1 inventory valuation", "tw time total 30 days", "cb sessions month"]


def memory_check(server, fx, endpoints_by_name, requests, loadgen) -> dict:
    """Worker RSS before and after ``requests`` requests cycling through read endpoints of every API, twice:
    the first round may still fill caches (imports, query plans, connections), the second shows a leak."""
    mix = Endpoint("memory mix", [path for name in MEMORY_MIX for path in endpoints_by_name[name].paths])
    ago = (fx.today - datetime.timedelta(days=29)).strftime("%Y%m%d")
    mix.paths.append(f"/teamwork/projects/{fx.project_id}/time_entries.json?fromdate={ago}&pageSize=100")
    concurrency, rounds, counts = 8, [server.rss_mb()], []
    for _ in range(2):
        done, rate = 0, None
        while done < requests:  # wrk runs for a time, not a count: run until enough requests were served
            seconds = 2 if rate is None else min(60, max(1, (requests - done) / rate + 0.5))
            summary = load(server, mix, fx, concurrency=concurrency, duration=seconds, loadgen=loadgen)
            done += summary["requests"]
            rate = summary["rps"] or 1
        counts.append(done)
        rounds.append(server.rss_mb())
    return {"requests": counts, "rss_mb": [{str(pid): round(mb, 1) for pid, mb in r.items()} for r in rounds]}


# Report


def cpu_probe_ms() -> float:
    """A fixed piece of pure Python, best of three: a VM whose neighbours take its CPU shows it here, where the
    load average (this machine's own processes) does not."""
    def work():
        started = time.perf_counter()
        total = 0
        for number in range(2_000_000):
            total += number
        return (time.perf_counter() - started) * 1000
    return round(min(work() for _ in range(3)), 1)


def machine() -> dict:
    import django
    import psycopg
    from django.db import connection

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SELECT current_setting('shared_buffers'), current_setting('work_mem'), "
                       "current_setting('random_page_cost')")
        shared_buffers, work_mem, random_page_cost = cursor.fetchone()
    wrk = shutil.which("wrk")
    return {
        "cpu": f"{cpu} × {os.cpu_count()}", "memory_mb": memory, "postgresql": postgres,
        "postgresql_settings": f"shared_buffers={shared_buffers}, work_mem={work_mem}, "
                               f"random_page_cost={random_page_cost}",
        "python": platform.python_version(), "django": django.get_version(), "psycopg": psycopg.__version__,
        "kernel": platform.release(), "loadgen": "wrk" if wrk else "bench/loadgen.py",
        "load_average_at_start": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "cpu_probe_ms_at_start": cpu_probe_ms(),
    }


def verdicts(endpoint, row) -> list[str]:
    """The issue's targets this row misses."""
    misses = []
    targets = endpoint.targets
    if endpoint.is_list and row["queries_max"] > MAX_LIST_QUERIES:
        misses.append(f"queries {row['queries_max']} > {MAX_LIST_QUERIES}")
    c1, c8 = row["load"].get("1"), row["load"].get("8")
    if c1 and "p95_c1" in targets and c1["p95_ms"] > targets["p95_c1"]:
        misses.append(f"p95 {c1['p95_ms']:.0f} > {targets['p95_c1']} ms")
    if c8 and "rps_c8" in targets and c8["rps"] < targets["rps_c8"]:
        misses.append(f"{c8['rps']:.0f} < {targets['rps_c8']} req/s")
    if c1 and "ratio" in targets and row["sql_ms"] and c1["p50_ms"] > targets["ratio"] * row["sql_ms"]:
        misses.append(f"API {c1['p50_ms'] / row['sql_ms']:.1f}× SQL")
    if not row["load"]:  # --no-load: the in-process time stands in for the one-client latency
        if "p95_c1" in targets and row["inprocess_ms"] > targets["p95_c1"]:
            misses.append(f"app {row['inprocess_ms']:.0f} > {targets['p95_c1']} ms")
        if "ratio" in targets and row["sql_ms"] and row["inprocess_ms"] > targets["ratio"] * row["sql_ms"]:
            misses.append(f"app {row['inprocess_ms'] / row['sql_ms']:.1f}× SQL")
    return misses


def print_table(rows, concurrencies, endpoints_by_name):
    header = f"{'endpoint':<27} {'queries':>7} {'SQL ms':>7} {'app ms':>7}"
    for c in concurrencies:
        header += f" | c={c:<2} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}"
    header += f" | {'API/SQL':>7}  misses"
    print(header)
    print("-" * len(header))
    for row in rows:
        line = f"{row['name']:<27} {row['queries']:>7} {row['sql_ms'] or 0:>7.1f} {row['inprocess_ms']:>7.1f}"
        for c in concurrencies:
            load_row = row["load"].get(str(c))
            if load_row:
                line += (f" |      {load_row['rps']:>6.0f} {load_row['p50_ms']:>6.1f} {load_row['p95_ms']:>6.1f} "
                         f"{load_row['p99_ms']:>6.1f}")
            else:
                line += " |" + " " * 32
        c1 = row["load"].get("1")
        api_ms = c1["p50_ms"] if c1 else row["inprocess_ms"]
        ratio = f"{api_ms / row['sql_ms']:.1f}×" if row["sql_ms"] else "-"
        misses = verdicts(endpoints_by_name[row["name"]], row)
        line += f" | {ratio:>7}  {'; '.join(misses) if misses else 'ok'}"
        print(line)
    print("\nLatencies in ms. queries: SQL statements one request issues (a+b: timer start, then stop). SQL ms: those "
          "statements alone over psycopg (median). app ms: the fastest of 5 requests through Django's test client "
          "in this process (no HTTP server, no load generator). API/SQL: one-client p50 over SQL ms (app ms over "
          "SQL ms with --no-load).")


def main():
    args = parse_args()
    env = bench_environment(args)
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.getLogger("timetracker.request").setLevel(logging.WARNING)  # this process's own requests

    seconds = prepare_data(args, env)
    fx = make_fixture(max(args.concurrency))
    all_endpoints = endpoints(fx)
    chosen = all_endpoints
    if args.only:
        wanted = [name.strip() for name in args.only.split(",")]
        chosen = [e for e in all_endpoints if any(e.name == w or e.name.startswith(w) for w in wanted)]
    by_name = {e.name: e for e in all_endpoints}
    loadgen = args.loadgen if args.loadgen != "auto" else ("wrk" if shutil.which("wrk") else "python")
    if loadgen == "wrk" and not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk), or use --loadgen python")

    results = {"machine": machine(), "seed_seconds": seconds, "entries": args.entries, "endpoints": []}
    log(f"Machine: {json.dumps(results['machine'])}")
    failed = []
    rows = []
    if args.explain:
        Path(args.explain).mkdir(parents=True, exist_ok=True)
    try:
        for endpoint in chosen:
            if args.profile and endpoint.name == args.profile:
                profile(endpoint, fx)
            cap = capture(endpoint, fx)
            bad = [status for status in cap.status if status >= 400]
            if bad:
                failed.append(f"{endpoint.name}: HTTP {bad}")
            cap.sql_ms = raw_sql_ms(env["DATABASE_URL"], [sql for kind in cap.queries for sql in kind])
            if args.explain:
                explain(env["DATABASE_URL"], endpoint, cap, args.explain)
            counts = [len(kind) for kind in cap.queries]
            rows.append({"name": endpoint.name, "paths": endpoint.paths, "queries": "+".join(map(str, counts)),
                         "queries_max": max(counts), "sql_ms": round(cap.sql_ms, 2),
                         "inprocess_ms": round(cap.inprocess_ms, 2), "load": {},
                         "sql": cap.queries})
            log(f"  {endpoint.name}: HTTP {cap.status}, {'+'.join(map(str, counts))} queries, SQL {cap.sql_ms:.1f} ms, "
                f"in-process {cap.inprocess_ms:.1f} ms")
        if not args.no_load:
            with Server(env, args.port, Path(tempfile.gettempdir()) / "timetracker-bench-gunicorn.log") as server:
                server.warm(chosen, fx)
                for endpoint, row in zip(chosen, rows):
                    for concurrency in args.concurrency:
                        if endpoint.writes:
                            stop_bench_timers()
                        if args.warmup > 0:
                            load(server, endpoint, fx, concurrency=concurrency, duration=args.warmup, loadgen=loadgen)
                        if endpoint.writes:
                            stop_bench_timers()
                        summary = load(server, endpoint, fx, concurrency=concurrency, duration=args.duration,
                                       loadgen=loadgen)
                        errors = summary["errors_status"] + summary["errors_socket"]
                        if errors > max(2, summary["requests"] // 100):  # a stray 429 (see docs) is no failure
                            failed.append(f"{endpoint.name} at {concurrency}: {errors} errors")
                        row["load"][str(concurrency)] = {
                            "rps": round(summary["rps"], 1), "requests": summary["requests"], "errors": errors,
                            **{f"{p}_ms": round(summary[f"{p}_us"] / 1000, 2) for p in ("p50", "p95", "p99")},
                        }
                        log(f"  {endpoint.name} c={concurrency}: {summary['rps']:.0f} req/s, "
                            f"p95 {summary['p95_us'] / 1000:.1f} ms, {errors} errors")
                report(args, results, rows, by_name, loadgen, seconds)
                if args.memory_requests:
                    results["memory"] = memory_check(server, fx, by_name, args.memory_requests, loadgen)
                    report_memory(args, results)
        else:
            report(args, results, rows, by_name, loadgen, seconds)
    finally:
        remove_bench_rows()

    too_many = [row["name"] for row in rows if by_name[row["name"]].is_list and row["queries_max"] > MAX_LIST_QUERIES]
    if too_many:
        failed.append(f"more than {MAX_LIST_QUERIES} queries: {', '.join(too_many)}")
    if failed:
        print("\nFAILED: " + "; ".join(failed))
        sys.exit(1)


def report(args, results, rows, by_name, loadgen, seconds):
    """The table, printed (and written with --json) as soon as the endpoints are measured."""
    for row in rows:
        row["misses"] = verdicts(by_name[row["name"]], row)
    results["endpoints"] = rows
    results["load_average_at_end"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
    results["cpu_probe_ms_at_end"] = cpu_probe_ms()
    load_text = "no load (--no-load)" if args.no_load else f"load: {loadgen}, {args.duration:g} s per cell"
    print(f"\nTimeTracker benchmark: {args.entries:,} entries, {results['machine']['cpu']}, PostgreSQL "
          f"{results['machine']['postgresql']}, gunicorn 2 workers, {load_text}")
    print(f"Load average (1, 5, 15 min) at start {results['machine']['load_average_at_start']}, at end "
          f"{results['load_average_at_end']}: other work on the machine skews the numbers")
    print(f"CPU probe (the same Python loop; lower is faster) at start {results['machine']['cpu_probe_ms_at_start']} "
          f"ms, at end {results['cpu_probe_ms_at_end']} ms")
    if seconds is not None:
        print(f"Seeded in {seconds:.1f} s")
    print()
    print_table(rows, args.concurrency if not args.no_load else [], by_name)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    sys.stdout.flush()


def report_memory(args, results):
    memory = results["memory"]
    rss = memory["rss_mb"]
    print(f"\nWorker RSS (MB) after the endpoint runs, then after {memory['requests'][0]:,} and "
          f"{memory['requests'][1]:,} more requests (2 workers, 8 clients, {len(MEMORY_MIX) + 1} endpoints in turn):")
    for pid in rss[0]:
        print(f"  worker {pid}: " + " → ".join(f"{r.get(pid, 0):.1f}" for r in rss))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
