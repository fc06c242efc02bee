"""A realistic demo data set for `manage.py seed_demo`: generated in memory as plain rows, deterministic
for a seed and a "today".

Rows are tuples in the column order of ``*_FIELDS`` (attribute names, e.g. ``user_id``), with explicit ids,
so one generator feeds both writers in ``timetracker.bulk_load`` (COPY on PostgreSQL, batched INSERTs
elsewhere) and the tag and movement rows can point at entries and items not yet written.

The rows keep every rule the services enforce: duration = end − start, at most one running timer per user
(and none deleted), tasks of the entry's project, casefolded tag keys, stock that never goes negative and
moving-average costs computed as ``inventory.services`` computes them.
"""

import datetime
import random
import uuid
import zoneinfo
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.text import slugify

from timeentries.models import tag_key

UTC = datetime.timezone.utc
YEARS = 5
DEMO_USERNAME_PREFIX = "demo-"

TIMEZONES = [
    "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Europe/Madrid",
    "Asia/Tokyo", "Australia/Sydney", "UTC", "Europe/Warsaw", "America/Sao_Paulo",
]
FIRST_NAMES = [
    "Anna", "Ben", "Chloé", "David", "Elif", "Felix", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam", "Mia",
    "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoë",
]
LAST_NAMES = [
    "Adler", "Brown", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Hughes", "Ivanova", "Jensen",
    "Kowalski", "Lee", "Müller", "Nakamura", "O'Brien", "Patel", "Rossi", "Schmidt", "Tanaka", "Weber",
]
CLIENT_WORDS = [
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell",
    "Cyberdyne", "Aperture", "Nakatomi", "Oscorp", "Wonka", "Gringotts", "Monarch", "Pied Piper", "Dunder",
    "Blue Sun", "Zorg", "Virtucon", "Massive", "Gekko", "Sterling", "Bluth", "Prestige", "Krusty",
]
CLIENT_SUFFIXES = ["GmbH", "Ltd", "Inc", "AG", "& Co", "Group", "Labs", "Studios"]
PROJECT_KINDS = [
    "Website Redesign", "Mobile App", "Online Shop", "Data Warehouse", "CRM Integration", "Brand Refresh",
    "Intranet", "Booking Platform", "Analytics Dashboard", "API Gateway", "Support Portal", "Newsletter",
    "Payment Migration", "Security Audit", "Cloud Migration", "Design System",
]
INTERNAL_PROJECTS = ["Internal: Admin", "Internal: Training", "Internal: Sales", "Internal: Tooling"]
TASKLIST_NAMES = ["Discovery", "Design", "Build", "QA", "Launch", "Maintenance"]
TASK_VERBS = ["Build", "Design", "Test", "Review", "Fix", "Write", "Plan", "Migrate", "Deploy", "Document"]
TASK_OBJECTS = [
    "login form", "checkout flow", "invoice export", "search page", "API endpoint", "database schema",
    "dashboard widgets", "user onboarding", "payment gateway", "email templates", "mobile layout",
    "reporting module", "access control", "CI pipeline", "caching layer", "image upload", "settings page",
    "notification service", "data import", "landing page",
]
NOTE_VERBS = [
    "Implemented", "Fixed", "Reviewed", "Refactored", "Tested", "Designed", "Documented", "Deployed",
    "Discussed", "Planned", "Investigated", "Optimised", "Paired on", "Estimated", "Prototyped",
]
NOTE_SUFFIXES = ["", "", "", " with the client", " after feedback", " for the release", " (follow-up)", " again"]
# Words in a few notes only, so searches have rare as well as common terms to find.
RARE_NOTES = ["Kubernetes upgrade", "GDPR data export", "Accessibility audit (WCAG)", "Penetration test findings"]
TAGS = [
    ("development", "#2f8de4"), ("frontend", "#8e44ad"), ("backend", "#16a085"), ("meeting", "#e67e22"),
    ("design", "#e84393"), ("review", "#00b894"), ("bugfix", "#d63031"), ("research", "#6c5ce7"),
    ("support", "#fdcb6e"), ("testing", "#0984e3"), ("deployment", "#2d3436"), ("documentation", "#636e72"),
    ("planning", "#a29bfe"), ("UX", "#fd79a8"), ("DevOps", "#55efc4"), ("QA", "#81ecec"), ("Überstunden", "#ff7675"),
    ("on-site", "#74b9ff"), ("travel", "#ffeaa7"), ("workshop", "#fab1a0"), ("estimate", "#b2bec3"),
    ("hotfix", "#c0392b"), ("call", "#27ae60"), ("spike", "#f39c12"),
]
# Tags near the front are used more often: weight 1/(rank + 2).
TAG_WEIGHTS = [1 / (rank + 2) for rank in range(len(TAGS))]
SOURCES = (["api"] * 50 + ["timer"] * 30 + ["teamwork"] * 10 + ["admin"] * 6 + ["codebase"] * 4)

WAREHOUSES = [("MAIN", "Main warehouse", True), ("EAST", "East depot", True), ("WEST", "West depot", True),
              ("OLD", "Old store (closed)", False)]
ITEM_CATEGORIES = ["Hardware", "Cables", "Office", "Displays", "Networking", "Storage", "Audio", "Spare parts"]
ITEM_NOUNS = ["Laptop", "Monitor", "USB-C cable", "HDMI cable", "Keyboard", "Mouse", "Headset", "Router",
              "Switch", "SSD", "Dock", "Webcam", "Paper", "Toner", "Speaker", "Adapter"]
QUANTITY_PLACES = Decimal("0.001")
AVERAGE_COST_PLACES = Decimal("0.0001")

USER_FIELDS = ["username", "first_name", "last_name", "email", "is_staff", "is_active", "is_superuser",
               "password", "date_joined"]
CLIENT_FIELDS = ["id", "name", "email", "company", "phone", "default_hourly_rate", "status", "created_at",
                 "updated_at"]
PROJECT_FIELDS = ["id", "name", "description", "client_id", "permalink", "hourly_rate", "estimated_hours",
                  "billable", "status", "created_at", "updated_at"]
TASKLIST_FIELDS = ["id", "project_id", "name", "description", "created_at", "updated_at"]
TASK_FIELDS = ["id", "project_id", "tasklist_id", "name", "description", "status", "priority",
               "estimated_minutes", "assignee_id", "completed_at", "created_at", "updated_at"]
TAG_FIELDS = ["id", "name", "key", "color", "created_at"]
ENTRY_FIELDS = ["id", "user_id", "project_id", "task_id", "start_time", "end_time", "duration_seconds",
                "has_start_time", "notes", "billable", "invoice_number", "ticket_id", "source", "created_at",
                "updated_at", "deleted_at"]
ENTRY_TAG_FIELDS = ["timeentry_id", "tag_id"]
WAREHOUSE_FIELDS = ["id", "code", "name", "address", "active", "created_at", "updated_at"]
ITEM_FIELDS = ["id", "sku", "name", "category", "unit", "unit_cost", "currency_code", "reorder_point",
               "average_cost", "active", "created_at", "updated_at"]
MOVEMENT_FIELDS = ["id", "item_id", "warehouse_id", "movement_type", "quantity", "unit_cost", "moved_at",
                   "reference_id", "notes", "user_id", "created_at"]
LEVEL_FIELDS = ["item_id", "warehouse_id", "quantity", "updated_at"]


@dataclass(frozen=True)
class Sizes:
    entries: int = 5_000
    users: int = 10
    projects: int = 20

    @property
    def clients(self) -> int:
        return max(1, self.projects // 4)

    @property
    def items(self) -> int:
        return min(500, max(20, self.entries // 5_000))

    @property
    def movements(self) -> int:
        """Movement events (a transfer writes two rows)."""
        return min(100_000, max(200, self.entries // 20))


@dataclass
class DemoUser:
    """A user to create; ``id`` is filled in once the database has given it one."""

    username: str
    first_name: str
    last_name: str
    timezone: str
    is_staff: bool
    id: int | None = None

    @property
    def email(self) -> str:
        return f"{self.username}@demo.example.com"


@dataclass
class DemoProject:
    id: int
    billable: bool
    status: str
    client_id: int | None
    first_day: datetime.date  # time is logged on it from this day ...
    last_day: datetime.date  # ... to this one
    task_ids: list = field(default_factory=list)


def working_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Monday to Friday, both ends included."""
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def quantize(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


class DemoData:
    """Generates the demo rows. Create users first (their ids come from the database), then ask for the rest
    in order: clients, projects, tasklists, tasks, tags, entries (with their tags), inventory."""

    def __init__(self, *, sizes: Sizes, seed: int, today: datetime.date, now: datetime.datetime):
        self.sizes = sizes
        self.seed = seed
        self.today = today
        self.now = now  # running timers start shortly before it; nothing is created after it
        self.first_day = today.replace(year=today.year - YEARS) if not (today.month == 2 and today.day == 29) \
            else today.replace(year=today.year - YEARS, day=28)
        self.days = working_days(self.first_day, today - datetime.timedelta(days=1))
        self.users: list[DemoUser] = []
        self.projects: list[DemoProject] = []
        self.tag_ids: list[int] = []
        self.entry_tag_count = 0

    def rng(self, part: str) -> random.Random:
        """An independent stream per part, so changing one part's draws leaves the others as they were."""
        return random.Random(f"{self.seed}:{part}")

    def instant(self, day: datetime.date, seconds: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(), tzinfo=UTC) + datetime.timedelta(seconds=seconds)

    # People and projects

    def make_users(self) -> list[DemoUser]:
        rng = self.rng("users")
        self.users = [
            DemoUser(
                username=f"{DEMO_USERNAME_PREFIX}{number:02d}", first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES), timezone=TIMEZONES[(number - 1) % len(TIMEZONES)],
                # The first two are admins (staff): they see everyone's time.
                is_staff=number <= 2,
            )
            for number in range(1, self.sizes.users + 1)
        ]
        return self.users

    def user_rows(self):
        joined = self.instant(self.first_day)
        for user in self.users:
            # "!" + anything is Django's unusable password: demo users sign in with API tokens only.
            yield (user.username, user.first_name, user.last_name, user.email, user.is_staff, True, False,
                   "!demo", joined)

    def client_rows(self):
        rng = self.rng("clients")
        names = set()
        for client_id in range(1, self.sizes.clients + 1):
            base = f"{rng.choice(CLIENT_WORDS)} {rng.choice(CLIENT_SUFFIXES)}"
            name, number = base, 2
            while name in names:
                name, number = f"{base} {number}", number + 1
            names.add(name)
            created = self.instant(self.first_day, rng.randrange(86_400))
            status = "archived" if rng.random() < 0.1 else "active"
            yield (client_id, name, f"office@{slugify(name)}.example.com", name, f"+49 30 {rng.randrange(10**6, 10**7)}",
                   Decimal(rng.choice([80, 95, 110, 120, 140])), status, created, created)

    def project_rows(self):
        rng = self.rng("projects")
        span = (self.today - self.first_day).days
        permalinks = set()
        for project_id in range(1, self.sizes.projects + 1):
            internal = project_id <= min(len(INTERNAL_PROJECTS), max(1, self.sizes.projects // 10))
            if internal:
                name, client_id, status = INTERNAL_PROJECTS[project_id - 1], None, "active"
                first_day, last_day = self.first_day, self.today
            else:
                client_id = rng.randint(1, self.sizes.clients)
                name = f"{rng.choice(CLIENT_WORDS)} {rng.choice(PROJECT_KINDS)}"
                roll = rng.random()
                status = "archived" if roll < 0.15 else "on_hold" if roll < 0.25 else "active"
                first_day = self.first_day + datetime.timedelta(days=rng.randrange(max(1, span - 120)))
                if status == "active":
                    last_day = self.today
                else:  # archived projects stopped a while ago, projects on hold recently
                    stop_before = rng.randint(180, 900) if status == "archived" else rng.randint(20, 90)
                    last_day = max(first_day, self.today - datetime.timedelta(days=stop_before))
            slug = base = slugify(name)[:90] or "project"
            number = 2
            while slug in permalinks:
                slug, number = f"{base}-{number}", number + 1
            permalinks.add(slug)
            billable = not internal and rng.random() < 0.9
            self.projects.append(DemoProject(project_id, billable, status, client_id, first_day, last_day))
            created = self.instant(first_day, rng.randrange(6 * 3600, 10 * 3600))
            yield (project_id, name, f"{name} for client {client_id or 'internal'}.", client_id, slug,
                   None if internal else Decimal(rng.choice([90, 100, 120, 150])),
                   None if internal else Decimal(rng.choice([40, 80, 120, 200, 400])), billable, status,
                   created, created)

    def tasklist_rows(self):
        rng = self.rng("tasklists")
        self.tasklists_by_project = {}
        tasklist_id = 0
        for project in self.projects:
            ids = []
            for name in rng.sample(TASKLIST_NAMES, rng.randint(1, 4)):
                tasklist_id += 1
                ids.append(tasklist_id)
                created = self.instant(project.first_day, 11 * 3600)
                yield (tasklist_id, project.id, name, "", created, created)
            self.tasklists_by_project[project.id] = ids

    def task_rows(self):
        rng = self.rng("tasks")
        statuses = ["todo"] * 3 + ["in_progress"] * 2 + ["review", "done", "done", "done", "cancelled"]
        task_id = 0
        for project in self.projects:
            for _ in range(rng.randint(3, 15)):
                task_id += 1
                project.task_ids.append(task_id)
                status = "done" if project.status == "archived" else rng.choice(statuses)
                created = self.instant(project.first_day, 12 * 3600)
                completed = created + datetime.timedelta(days=rng.randint(1, 60)) if status == "done" else None
                completed = min(completed, self.now) if completed else None
                tasklists = self.tasklists_by_project[project.id]
                yield (task_id, project.id, rng.choice(tasklists) if rng.random() < 0.8 else None,
                       f"{rng.choice(TASK_VERBS)} {rng.choice(TASK_OBJECTS)}", "", status, rng.randint(1, 5),
                       rng.choice([None, 30, 60, 90, 120, 240, 480, 960, 2400]),
                       rng.choice(self.users).id if self.users and rng.random() < 0.7 else None,
                       completed, created, completed or created)

    def tag_rows(self):
        created = self.instant(self.first_day)
        for tag_id, (name, color) in enumerate(TAGS, start=1):
            self.tag_ids.append(tag_id)
            yield (tag_id, name, tag_key(name), color, created)

    # Time

    def entry_counts(self) -> tuple[int, int]:
        """(finished entries, running timers): about a fifth of users have a timer running."""
        running = min(self.sizes.entries, max(1, self.sizes.users // 5)) if self.sizes.users else 0
        return self.sizes.entries - running, running

    def entry_rows(self, entry_tags: list):
        """Every entry as a row, finished ones day by day (ids grow with time, as in real use), then the
        running timers. The rows' tags go to ``entry_tags`` as (entry id, tag id), in the same order."""
        finished, running = self.entry_counts()
        if not self.users or not self.projects:
            return
        rng = self.rng("entries")
        users, days = self.users, self.days
        per_user = self._per_user_day_counts(finished, rng)
        always = [project for project in self.projects if project.client_id is None]
        user_projects = [rng.sample(self.projects, min(len(self.projects), 8)) for _ in users]
        zones = [zoneinfo.ZoneInfo(user.timezone) for user in users]
        tag_ids, weights = self.tag_ids, TAG_WEIGHTS[: len(self.tag_ids)]
        invoice_cutoff = self.today - datetime.timedelta(days=45)
        second = datetime.timedelta(seconds=1)
        entry_id = 0
        for day_index, day in enumerate(days):
            invoiceable = day < invoice_cutoff
            month = f"{day:%Y%m}"
            for user_index, user in enumerate(users):
                count = per_user[user_index][day_index]
                if not count:
                    continue
                candidates = [p for p in user_projects[user_index] if p.first_day <= day <= p.last_day] or always \
                    or self.projects
                tz = zones[user_index]
                midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=tz).astimezone(UTC)
                work_start = datetime.datetime.combine(day, datetime.time(8), tzinfo=tz).astimezone(UTC) \
                    + datetime.timedelta(minutes=rng.randrange(0, 90, 5))
                slot = 34_200 // count  # 9.5 working hours shared by the day's entries
                for index in range(count):
                    entry_id += 1
                    project = rng.choice(candidates)
                    source = rng.choice(SOURCES)
                    if source == "codebase":  # Codebase sessions have a date, no time of day
                        duration = max(1, slot // 60) * 60
                        start = midnight
                    else:
                        duration = max(60, int(slot * (0.5 + 0.45 * rng.random())))
                        if source != "timer":
                            duration = max(60, duration // 300 * 300)
                        start = work_start + datetime.timedelta(seconds=index * slot + rng.randrange(max(1, slot - duration)))
                    end = start + datetime.timedelta(seconds=duration)
                    billable = project.billable if rng.random() < 0.92 else not project.billable
                    invoice = f"INV-{month}-{project.client_id:03d}" if (
                        billable and invoiceable and project.client_id and rng.random() < 0.85) else ""
                    roll = rng.random()
                    notes = "" if roll < 0.15 else rng.choice(RARE_NOTES) if roll < 0.1503 else (
                        f"{rng.choice(NOTE_VERBS)} {rng.choice(TASK_OBJECTS)}{rng.choice(NOTE_SUFFIXES)}")
                    created = end + second * rng.randrange(600)
                    deleted = created + datetime.timedelta(hours=rng.randrange(1, 200)) if rng.random() < 0.015 \
                        else None
                    yield (entry_id, user.id, project.id,
                           rng.choice(project.task_ids) if project.task_ids and rng.random() < 0.7 else None,
                           start, end, duration, source != "codebase", notes, billable, invoice,
                           rng.randrange(1000, 9999) if rng.random() < 0.1 else None, source, created,
                           created, deleted and min(deleted, self.now))
                    self._tag(entry_id, rng, tag_ids, weights, entry_tags)
        active = [project for project in self.projects if project.status == "active"] or self.projects
        for user in rng.sample(users, running):
            entry_id += 1
            project = rng.choice(active)
            start = self.now - datetime.timedelta(seconds=rng.randrange(300, 4 * 3600))
            yield (entry_id, user.id, project.id, None, start, None, None, True, "Working on it", project.billable,
                   "", None, "timer", start, start, None)
            self._tag(entry_id, rng, tag_ids, weights, entry_tags)

    def _per_user_day_counts(self, finished: int, rng) -> list[bytearray | list]:
        """How many entries each user logs on each working day: spread evenly, the remainder on random days."""
        users, days = len(self.users), len(self.days)
        counts = []
        for user_index in range(users):
            total = finished // users + (1 if user_index < finished % users else 0)
            base, extra = divmod(total, days)
            row = [base] * days
            for day_index in rng.sample(range(days), extra):
                row[day_index] += 1
            counts.append(row)
        return counts

    def _tag(self, entry_id, rng, tag_ids, weights, entry_tags):
        roll = rng.random()
        if roll >= 0.55 or not tag_ids:
            return
        wanted = 1 if roll < 0.38 else 2 if roll < 0.52 else 3
        for tag_id in set(rng.choices(tag_ids, weights, k=wanted)):
            entry_tags.append((entry_id, tag_id))
            self.entry_tag_count += 1

    # Inventory

    def warehouse_rows(self):
        created = self.instant(self.first_day)
        for warehouse_id, (code, name, active) in enumerate(WAREHOUSES, start=1):
            yield (warehouse_id, code, name, "", active, created, created)

    def inventory(self, currency: str):
        """(item rows, movement rows, level rows): a simulated ledger in time order, so every level is the
        sum of its movements, no level ever goes below zero, and average costs follow the services' formula."""
        rng = self.rng("inventory")
        created = self.instant(self.first_day)
        items = []
        for item_id in range(1, self.sizes.items + 1):
            noun = rng.choice(ITEM_NOUNS)
            items.append({
                "id": item_id, "sku": f"SKU-{item_id:05d}", "name": f"{noun} {rng.choice('ABCDEFGH')}{item_id}",
                "category": rng.choice(ITEM_CATEGORIES), "unit": "kg" if noun in {"Paper", "Toner"} else "pcs",
                "unit_cost": Decimal(rng.randrange(200, 150_000)) / 100,
                "currency_code": currency if rng.random() < 0.9 else ("USD" if currency != "USD" else "GBP"),
                "reorder_point": Decimal(rng.choice([0, 5, 10, 20, 50])), "average_cost": None,
            })
        for item in items:
            item["average_cost"] = item["unit_cost"]
        receiving = [index + 1 for index, (_, _, active) in enumerate(WAREHOUSES) if active]
        levels: dict[tuple[int, int], Decimal] = {}
        on_hand: dict[int, Decimal] = {item["id"]: Decimal(0) for item in items}
        users = [user.id for user in self.users] or [None]
        span = int((self.now - self.instant(self.first_day)).total_seconds()) - 3600
        moments = sorted(rng.randrange(span) for _ in range(self.sizes.movements))
        movements, movement_id = [], 0

        def add(item, warehouse_id, kind, quantity, unit_cost, moved_at, reference="", notes=""):
            nonlocal movement_id
            movement_id += 1
            key = (item["id"], warehouse_id)
            levels[key] = levels.get(key, Decimal(0)) + quantity
            on_hand[item["id"]] += quantity
            movements.append((movement_id, item["id"], warehouse_id, kind, quantity, unit_cost, moved_at, reference,
                              notes, rng.choice(users), moved_at))

        for offset in moments:
            moved_at = self.instant(self.first_day, offset)
            item = rng.choice(items)
            places = QUANTITY_PLACES if item["unit"] == "kg" else Decimal(1)
            quantity = quantize(Decimal(rng.randint(1, 40)) * (Decimal(rng.randint(250, 1000)) / 1000
                                if item["unit"] == "kg" else 1), places) or Decimal(1)
            warehouse_id = rng.choice(receiving)
            stocked = [w for w in receiving if levels.get((item["id"], w), 0) > 0]
            roll = rng.random()
            if roll < 0.55 and stocked:  # a sale (or waste), from a warehouse that has some
                warehouse_id = rng.choice(stocked)
                quantity = min(quantity, levels[(item["id"], warehouse_id)])
                kind = "sale" if roll < 0.52 else "waste"
                add(item, warehouse_id, kind, -quantity, item["average_cost"], moved_at, notes=f"{kind} order")
            elif roll < 0.7 and stocked and len(receiving) > 1:  # a transfer between two warehouses
                source = rng.choice(stocked)
                target = rng.choice([w for w in receiving if w != source])
                quantity = min(quantity, levels[(item["id"], source)])
                reference = uuid.UUID(int=rng.getrandbits(128)).hex
                add(item, source, "transfer_out", -quantity, item["average_cost"], moved_at, reference)
                add(item, target, "transfer_in", quantity, item["average_cost"], moved_at, reference)
            elif roll < 0.73:  # a return, booked without a cost: the average stays
                add(item, warehouse_id, "return", quantity, None, moved_at, notes="customer return")
            else:  # a purchase at a price near the standard cost
                unit_cost = quantize(item["unit_cost"] * Decimal(rng.randint(85, 115)) / 100, Decimal("0.01"))
                held = max(on_hand[item["id"]], Decimal(0))
                item["average_cost"] = quantize(
                    (held * item["average_cost"] + quantity * unit_cost) / (held + quantity), AVERAGE_COST_PLACES)
                add(item, warehouse_id, "purchase", quantity, unit_cost, moved_at, notes="purchase order")
        item_rows = [(item["id"], item["sku"], item["name"], item["category"], item["unit"], item["unit_cost"],
                      item["currency_code"], item["reorder_point"], item["average_cost"], True, created, created)
                     for item in items]
        level_rows = [(item_id, warehouse_id, quantity, self.now)
                      for (item_id, warehouse_id), quantity in sorted(levels.items())]
        return item_rows, movements, level_rows
