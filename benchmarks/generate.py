"""Generate a synthetic portfolio shaped like example-portfolio, for benchmarks.

    python benchmarks/generate.py --items 10000 [--out DIR] [--seed S]

The portfolio declarations (stages, scoring model, objectives, horizon), the teams, the scenarios and the
decisions come from example-portfolio; items, business cases, extra teams and risks are generated. Files are
written as YAML text directly. The same arguments always give the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import textwrap
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "example-portfolio"
SCHEMAS = REPO / "schemas"
GENERATED = REPO / "benchmarks" / "generated"
DEFAULT_DEPENDENCIES = 1.5
MARKER = ".generated.json"  # hidden and not YAML: pfm does not read it
DEFAULT_SEED = 2027
AS_OF = "2026-09-30"


@dataclass(frozen=True, slots=True)
class Domain:
    slug: str
    label: str
    owner: str
    tags: tuple[str, ...]
    objectives: tuple[str, ...]  # objectives of the example portfolio this domain usually serves
    subjects: tuple[str, ...]


DOMAINS = (
    Domain(
        "payments",
        "Payments",
        "Head of Payments Technology",
        ("payments", "schemes", "iso20022", "fraud", "open-banking"),
        ("regulatory-compliance", "operational-resilience", "grow-digital"),
        ("payment gateway", "sanctions screening", "Bacs bureau", "card issuing", "scheme connectivity"),
    ),
    Domain(
        "core-banking",
        "Core banking",
        "Head of Core Banking Technology",
        ("core-banking", "migration", "legacy-exit", "api"),
        ("reduce-cost-to-serve", "operational-resilience"),
        ("deposits ledger", "lending engine", "mortgage servicing", "interest calculation", "product catalogue"),
    ),
    Domain(
        "digital",
        "Digital channels",
        "Head of Digital Channels",
        ("digital", "mobile", "web", "accessibility"),
        ("grow-digital", "customer-experience"),
        ("mobile app", "web banking", "onboarding journey", "secure messaging", "savings journey"),
    ),
    Domain(
        "cloud",
        "Cloud and infrastructure",
        "Head of Cloud and Infrastructure",
        ("cloud", "infrastructure", "end-of-life", "finops"),
        ("reduce-cost-to-serve", "operational-resilience"),
        ("landing zone", "server estate", "storage platform", "network edge", "observability stack"),
    ),
    Domain(
        "data",
        "Data and analytics",
        "Head of Data Engineering",
        ("data", "analytics", "mi", "ai"),
        ("reduce-cost-to-serve", "customer-experience", "regulatory-compliance"),
        ("data platform", "customer data hub", "model registry", "regulatory data mart", "reporting warehouse"),
    ),
    Domain(
        "security",
        "Security",
        "Head of Cyber Security",
        ("security", "identity", "zero-trust", "resilience"),
        ("operational-resilience", "regulatory-compliance"),
        ("privileged access", "endpoint protection", "security monitoring", "key management", "email security"),
    ),
    Domain(
        "customer-ops",
        "Customer operations",
        "Head of Customer Operations Technology",
        ("crm", "contact-centre", "telephony", "complaints"),
        ("customer-experience", "reduce-cost-to-serve"),
        ("CRM platform", "contact-centre telephony", "complaints handling", "branch workstation", "case management"),
    ),
    Domain(
        "fincrime",
        "Financial crime",
        "Head of Financial Crime Technology",
        ("financial-crime", "aml", "fraud", "regulatory"),
        ("regulatory-compliance", "operational-resilience"),
        ("transaction monitoring", "customer screening", "fraud detection", "case investigation", "KYC refresh"),
    ),
    Domain(
        "finance",
        "Finance",
        "Head of Finance Change",
        ("finance", "reporting", "regulatory"),
        ("regulatory-compliance", "reduce-cost-to-serve"),
        ("general ledger", "regulatory reporting", "cost allocation", "treasury system", "procurement platform"),
    ),
)
SPONSORS = (
    "Chief Operating Officer",
    "Chief Customer Officer",
    "Chief Risk Officer",
    "Director of Payments",
    "Chief Information Security Officer",
    "Chief Information Officer",
    "Chief Financial Officer",
    "Chief Compliance Officer",
    "Chief Data Officer",
    "Managing Director, Retail Banking",
)
ACTIONS = ("Replace", "Modernise", "Migrate", "Automate", "Consolidate", "Rebuild", "Extend", "Harden", "Retire")
PROGRAMME_NAMES = ("transformation", "modernisation", "simplification", "resilience", "growth")
AUDIENCES = ("retail customers", "branch colleagues", "the contact centre", "relationship managers", "operations")
DRIVERS = (
    "the current platform leaves vendor support at the end of its contract and cannot be patched in time",
    "manual workarounds cost more than forty colleagues' time and cause most of the complaints in the area",
    "the regulator expects evidence of good outcomes and of resilience within impact tolerances",
    "the area blocks faster product launches and keeps change on a quarterly release train",
)
APPROACHES = (
    "Delivery is incremental, one customer segment at a time, with parallel running before each switch-over.",
    "A SaaS product is configured rather than built, with integration through the core API layer.",
    "The work reuses the shared platform patterns approved by the Architecture Review Board.",
    "Legacy components are decommissioned as each capability moves, so run costs fall during delivery.",
)
MILESTONES = (
    "Discovery and options complete",
    "Vendor contract signed",
    "Design authority sign-off",
    "Build complete for the first release",
    "Colleague pilot live",
    "Private beta with selected customers",
    "Full rollout complete",
    "Legacy platform decommissioned",
    "Post-implementation benefits review",
)
DEPENDENCY_TYPES = ("finish-to-start", "finish-to-start", "finish-to-start", "start-to-start", "finish-to-finish")
DEPENDENCY_NOTES = (
    "Needs the APIs this item exposes before integration testing can start",
    "Shares the migration tooling and the test environments built there",
    "Runs on the platform it delivers; cannot go live before it",
    "Uses the data model agreed in that item's design authority",
)
BENEFIT_TYPES = ("cost-saving", "revenue", "cost-avoidance", "risk-reduction", "productivity", "regulatory")
ASSUMPTIONS = (
    "Systems integrator rate card fixed for the life of the item.",
    "No change freeze beyond the usual year-end blackout.",
    "Benefits beyond five years after go-live are not counted.",
    "Licence prices rise with inflation only.",
    "Colleague time is released only after the legacy platform is switched off.",
)
RISK_HAZARDS = (
    ("key person dependency", "people", "A small number of engineers hold most of the knowledge of the platform."),
    ("supplier delay", "supplier", "The vendor's roadmap slips and the features the items need arrive late."),
    ("data migration quality", "delivery", "Data quality issues found late force extra dress rehearsals."),
    ("regulatory deadline", "regulatory", "A fixed regulatory date leaves no contingency for late defects."),
    ("cyber exposure", "security", "Unsupported components stay exposed while the replacement is delivered."),
    ("customer disruption", "customer", "Cutover issues disrupt customers' access to their accounts."),
)
RISK_STATUSES = ("open", "open", "mitigating", "mitigating", "accepted", "closed")
# What every generated item has, for the stage gates' `requires`; a business case is added for most.
ITEM_FIELDS = frozenset({"owner", "sponsor", "scores", "start", "duration", "demand", "wsjf", "rice", "milestones"})


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    state: str
    requires: frozenset[str]
    weight: int  # how often the example uses the stage, plus one


@dataclass(frozen=True, slots=True)
class Model:
    """What generated files must agree with: the example portfolio's declarations."""

    criteria: tuple[tuple[str, int, int], ...]  # id, scale min, scale max
    stages: tuple[Stage, ...]
    objectives: tuple[str, ...]
    first: int  # first quarter of the horizon, as an index (year * 4 + quarter - 1)
    last: int


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    type: str
    domain: Domain
    subject: str
    parent: str | None
    stage: Stage
    start: int
    duration: int
    has_case: bool

    @property
    def end(self) -> int:
        return self.start + self.duration - 1


def quarter(index: int) -> str:
    return f"{index // 4}-Q{index % 4 + 1}"


def quarter_index(label: str) -> int:
    year, q = label.split("-Q")
    return int(year) * 4 + int(q) - 1


def quarter_end(index: int) -> str:
    return f"{index // 4}-{('03-31', '06-30', '09-30', '12-31')[index % 4]}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def folded(key: str, text: str, indent: str = "") -> list[str]:
    """A `key: >-` block scalar wrapped like the example's descriptions."""
    body = textwrap.wrap(text, width=88, initial_indent=indent + "  ", subsequent_indent=indent + "  ")
    return [f"{indent}{key}: >-", *body]


def read_model() -> Model:
    portfolio = yaml.safe_load((EXAMPLE / "portfolio.yaml").read_text(encoding="utf-8"))
    used = Counter(
        yaml.safe_load(path.read_text(encoding="utf-8"))["stage"] for path in sorted((EXAMPLE / "items").glob("*.yaml"))
    )
    stages = tuple(
        Stage(s["id"], s["state"], frozenset(s.get("requires", [])), used[s["id"]] + 1) for s in portfolio["stages"]
    )
    criteria = tuple((c["id"], c["scale"]["min"], c["scale"]["max"]) for c in portfolio["scoring"]["criteria"])
    objectives = tuple(o["id"] for o in portfolio["objectives"])
    periods = portfolio["periods"]
    return Model(criteria, stages, objectives, quarter_index(periods["first"]), quarter_index(periods["last"]))


def plan_items(count: int, model: Model, rng: random.Random) -> list[Item]:
    """Ids, types, parents, stages and schedules; the first item and about 10 % of the rest are programmes."""
    items: list[Item] = []
    programmes: list[str] = []
    for index in range(count):
        domain = rng.choice(DOMAINS)
        is_programme = index == 0 or rng.random() < 0.1
        kind = "programme" if is_programme else rng.choices(("project", "initiative"), (9, 1))[0]
        name = rng.choice(PROGRAMME_NAMES)
        subject = f"{domain.label.lower()} {name} programme" if is_programme else rng.choice(domain.subjects)
        short = f"{name} programme" if is_programme else subject
        parent = rng.choice(programmes) if programmes and not is_programme and rng.random() < 0.6 else None
        has_case = rng.random() < 0.85
        present = ITEM_FIELDS | {"business_case"} if has_case else ITEM_FIELDS
        allowed = [s for s in model.stages if s.requires <= present]
        stage = rng.choices(allowed, [s.weight for s in allowed])[0]
        duration = rng.randint(4, 10) if is_programme else rng.randint(3, 8)
        start = rng.randint(model.first, model.last - duration + 1)
        ident = f"{domain.slug}-{slug(short)}-{index + 1:05d}"
        items.append(Item(ident, kind, domain, subject, parent, stage, start, duration, has_case))
        if is_programme:
            programmes.append(ident)
    return items


def render_item(
    item: Item,
    items: list[Item],
    prerequisites: Prerequisites,
    teams: list[str],
    model: Model,
    rng: random.Random,
    mean: float,
) -> str:
    domain = item.domain
    action = "Run" if item.type == "programme" else rng.choice(ACTIONS)
    title = f"{action} the {item.subject}" + ("" if item.type == "programme" else f" for {rng.choice(AUDIENCES)}")
    description = (
        f"{action}s the {item.subject} used by {rng.choice(AUDIENCES)} across the bank, because "
        f"{rng.choice(DRIVERS)}. " + " ".join(rng.sample(APPROACHES, 3))
    )
    lines = [
        "apiVersion: pfm/v1",
        "kind: Item",
        f"id: {item.id}",
        f"title: {title[:1].upper()}{title[1:]}",
        *folded("description", description),
        f"type: {item.type}",
        *([f"parent: {item.parent}"] if item.parent else []),
        f"owner: {domain.owner}",
        f"sponsor: {rng.choice(SPONSORS)}",
        f"stage: {item.stage.id}",
        f"status: {rng.choices(('green', 'amber', 'red'), (14, 5, 1))[0]}",
        *(["mandatory: true"] if rng.random() < 0.08 else []),
        f"objectives: [{', '.join(_objectives(domain, model, rng))}]",
        f"tags: [{', '.join(rng.sample(domain.tags, rng.randint(2, len(domain.tags))))}]",
        f"start: {quarter(item.start)}",
        f"duration: {item.duration}",
        *_scores(model, rng),
        *_wsjf_and_rice(rng),
        *_demand(item, teams, rng),
        *_depends_on(item, items, prerequisites, rng, mean),
        *_milestones(item, rng),
        *_actuals(item, rng),
    ]
    return "\n".join(lines) + "\n"


def _objectives(domain: Domain, model: Model, rng: random.Random) -> list[str]:
    own = [o for o in domain.objectives if o in model.objectives]
    chosen = rng.sample(own, rng.randint(1, len(own))) if own else []
    extra = rng.choice(model.objectives)
    return chosen if extra in chosen or rng.random() < 0.7 else [*chosen, extra]


def _scores(model: Model, rng: random.Random) -> list[str]:
    return ["scores:", *(f"  {ident}: {rng.randint(low, high)}" for ident, low, high in model.criteria)]


def _wsjf_and_rice(rng: random.Random) -> list[str]:
    fib = (1, 2, 3, 5, 8, 13, 20)
    return [
        "wsjf:",
        f"  business_value: {rng.choice(fib)}",
        f"  time_criticality: {rng.choice(fib)}",
        f"  risk_reduction: {rng.choice(fib)}",
        f"  job_size: {rng.choice(fib)}",
        "rice:",
        f"  reach: {rng.randrange(5_000, 1_500_000, 5_000)}",
        f"  impact: {rng.choice((0.25, 0.5, 1, 2, 3))}",
        f"  confidence: {rng.choice((0.5, 0.6, 0.7, 0.8, 0.9))}",
        f"  effort: {rng.randrange(10, 500, 5)}",
    ]


def _demand(item: Item, teams: list[str], rng: random.Random) -> list[str]:
    """1-3 teams: the first two a figure per quarter, a third one figure for every quarter."""
    lines = ["demand:"]
    for number, team in enumerate(rng.sample(teams, rng.randint(1, 3))):
        if number < 2:
            lines.append(f"  {team}:")
            lines += [f"    {quarter(q)}: {rng.choice((1, 2, 3, 4, 5, 6, 8))}" for q in range(item.start, item.end + 1)]
        else:
            lines.append(f"  {team}: {rng.choice((0.5, 1, 1.5, 2, 3))}")
    return lines


class Prerequisites:
    """Earlier open items grouped by the quarter they end in, to draw prerequisites that end before a start."""

    def __init__(self) -> None:
        self.by_end: dict[int, list[int]] = {}

    def add(self, position: int, item: Item) -> None:
        if item.stage.state not in ("closed", "cancelled"):
            self.by_end.setdefault(item.end, []).append(position)

    def draw(self, before: int, count: int, rng: random.Random) -> list[int]:
        """Up to `count` distinct positions of items ending before quarter `before`."""
        buckets = [positions for end, positions in self.by_end.items() if end < before]
        sizes = list(accumulate(len(bucket) for bucket in buckets))
        total = sizes[-1] if sizes else 0
        picks = rng.sample(range(total), min(count, total))
        return sorted(buckets[(b := bisect_right(sizes, pick))][pick - (sizes[b - 1] if b else 0)] for pick in picks)


def _depends_on(
    item: Item, items: list[Item], prerequisites: Prerequisites, rng: random.Random, mean: float
) -> list[str]:
    """About `mean` dependencies on earlier open items that end before this one starts: acyclic, and free of
    date conflicts whatever the type; some in the object form."""
    chosen = prerequisites.draw(item.start, round(rng.uniform(0, 2 * mean)), rng)
    if not chosen:
        return []
    lines = ["depends_on:"]
    for earlier in chosen:
        ident = items[earlier].id
        if rng.random() < 0.4:
            lines += [f"  - id: {ident}", f"    type: {rng.choice(DEPENDENCY_TYPES)}"]
            lines += folded("note", rng.choice(DEPENDENCY_NOTES), "    ")
        else:
            lines.append(f"  - {ident}")
    return lines


def _milestones(item: Item, rng: random.Random) -> list[str]:
    count = rng.randint(6, 9)
    names = [MILESTONES[i] for i in sorted(rng.sample(range(len(MILESTONES)), count))]
    lines = ["milestones:"]
    for number, name in enumerate(names):
        when = item.start + (item.duration - 1) * number // max(count - 1, 1)
        status = _milestone_status(item.stage.state, number)
        lines.append(f"  - name: {name}")
        lines.append(f"    date: '{quarter_end(when)}'" if rng.random() < 0.3 else f"    period: {quarter(when)}")
        lines.append(f"    status: {status}")
    return lines


def _milestone_status(state: str, number: int) -> str:
    if state == "closed" or (number == 0 and state in ("active", "cancelled")):
        return "achieved"
    if state == "cancelled":
        return "missed"
    return "at-risk" if state == "active" and number == 1 else "planned"


def _actuals(item: Item, rng: random.Random) -> list[str]:
    if item.stage.state not in ("active", "closed"):
        return []
    done = 100 if item.stage.state == "closed" else rng.randint(5, 90)
    return [
        "actuals:",
        f"  as_of: '{AS_OF}'",
        f"  capex: {rng.randrange(50_000, 3_000_000, 10_000)}",
        f"  opex: {rng.randrange(10_000, 600_000, 10_000)}",
        f"  percent_complete: {done}",
    ]


def render_case(item: Item, rng: random.Random) -> str:
    first, last = item.start // 4, item.end // 4
    lines = [
        "apiVersion: pfm/v1",
        "kind: BusinessCase",
        f"id: {item.id}-case",
        f"title: {item.subject[:1].upper()}{item.subject[1:]} – {rng.choice(('outline', 'full'))} business case",
        f"item: {item.id}",
        f"version: {rng.choice(('outline', 'full', 'approved'))}",
        "costs:",
    ]
    for year in range(first, last + 3):
        lines.append(f"  - year: {year}")
        if year <= last:
            lines.append(f"    capex: {rng.randrange(100_000, 4_000_000, 50_000)}")
        lines.append(f"    opex: {rng.randrange(50_000, 900_000, 50_000)}")
    lines.append("benefits:")
    for year in range(first + 1, last + 4):
        lines += [
            f"  - year: {year}",
            f"    amount: {rng.randrange(100_000, 5_000_000, 50_000)}",
            f"    type: {rng.choice(BENEFIT_TYPES)}",
            f"    confidence: {rng.choice((0.5, 0.6, 0.7, 0.8))}",
        ]
    lines += [
        "estimates:",
        f"  costs: {{low: 0.9, high: {rng.choice((1.2, 1.3, 1.4))}}}",
        f"  benefits: {{low: {rng.choice((0.6, 0.7, 0.8))}, high: 1.1}}",
        "assumptions:",
        *(f"  - {text}" for text in rng.sample(ASSUMPTIONS, 2)),
    ]
    return "\n".join(lines) + "\n"


def render_team(ident: str, domain: Domain, number: int, rng: random.Random) -> str:
    lines = [
        "apiVersion: pfm/v1",
        "kind: Team",
        f"id: {ident}",
        f"title: {domain.label} squad {number}",
        *folded("description", f"Engineers and analysts for the {rng.choice(domain.subjects)} and related services."),
        f"manager: {domain.owner}",
        "unit: FTE",
        f"capacity: {rng.randint(4, 16)}",
        f"cost_rate: {rng.randrange(24_000, 36_000, 1_000)}",
    ]
    return "\n".join(lines) + "\n"


def render_risk(number: int, items: list[Item], rng: random.Random) -> tuple[str, str]:
    """The risk's id and file text."""
    hazard, category, cause = rng.choice(RISK_HAZARDS)
    ident = f"risk-{number:05d}-{slug(hazard)}"
    affected = rng.sample(items, rng.randint(1, 4))
    lines = [
        "apiVersion: pfm/v1",
        "kind: Risk",
        f"id: {ident}",
        f"title: {hazard[:1].upper()}{hazard[1:]} on the {affected[0].subject}",
        *folded("description", f"{cause} Affects the delivery dates and benefits of the items listed."),
        f"category: {category}",
        "items:",
        *(f"  - {item.id}" for item in affected),
        f"probability: {rng.randint(1, 5)}",
        f"impact: {rng.randint(1, 5)}",
        f"owner: {affected[0].domain.owner}",
        *folded("mitigation", "Named deputies, weekly review at the delivery board and a funded contingency."),
        f"status: {rng.choice(RISK_STATUSES)}",
        f"review_date: '{quarter_end(quarter_index('2027-Q1') + rng.randint(0, 7))}'",
    ]
    return ident, "\n".join(lines) + "\n"


def schemas_from(folder: Path) -> str:
    """The repository's schemas folder relative to `folder`, for editors' `$schema` comments."""
    return Path(os.path.relpath(SCHEMAS, folder)).as_posix()


def retarget(text: str, folder: Path) -> str:
    """A copied example file with its schema comment pointing at the repository's schemas from `folder`."""
    return re.sub(r"\$schema=\S*schemas/", f"$schema={schemas_from(folder)}/", text, count=1)


def scale_budget(text: str, factor: float) -> str:
    def scale(block: re.Match[str]) -> str:
        return re.sub(
            r"(?m)^(\s+(?:capex|opex|total): )(\d+)$",
            lambda m: f"{m[1]}{round(int(m[2]) * factor / 1e5) * 100_000}",
            block[0],
        )

    return re.sub(r"(?m)^budget:\n(?:[ \t].*\n)+", scale, text)


def map_example_ids(items: list[Item]) -> dict[str, str]:
    """Each example item id -> a distinct generated id, so that no list of ids gets one twice: an open item (a
    scenario may fund it), spread over the portfolio. With fewer open items than the example has ids, the ids the
    example's scenarios name get the open items and the others the closed or cancelled ones."""
    example = sorted(path.stem for path in (EXAMPLE / "items").glob("*.yaml"))
    open_items = [item.id for item in items if item.stage.state not in ("closed", "cancelled")]
    if len(open_items) >= len(example):  # k * n // m is strictly increasing in k when n >= m
        return {ident: open_items[k * len(open_items) // len(example)] for k, ident in enumerate(example)}
    scenarios = " ".join(path.read_text(encoding="utf-8") for path in (EXAMPLE / "scenarios").glob("*.yaml"))
    named = sorted(example, key=lambda ident: re.search(rf"(?<![\w.-]){re.escape(ident)}(?![\w.-])", scenarios) is None)
    taken = set(open_items)
    others = [item.id for item in items if item.id not in taken]
    return dict(zip(named, open_items + others, strict=False))


def replace_ids(text: str, mapping: dict[str, str]) -> str:
    names = "|".join(re.escape(ident) for ident in sorted(mapping, key=len, reverse=True))
    return re.sub(rf"(?<![\w.-])({names})(?![\w.-])", lambda m: mapping[m[1]], text)


class Writer:
    """Writes files under the output folder, creating folders once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.comments: dict[str, str] = {}

    def write(self, folder: str, name: str, kind: str, text: str) -> None:
        directory = self.root / folder
        if folder not in self.comments:
            directory.mkdir(parents=True, exist_ok=True)
            self.comments[folder] = f"# yaml-language-server: $schema={schemas_from(directory)}/{kind}.schema.json\n"
        (directory / f"{name}.yaml").write_text(self.comments[folder] + text, encoding="utf-8")

    def copy(self, source: Path, folder: str, ids: dict[str, str]) -> None:
        """Copy an example file, replacing the item ids in `ids`."""
        directory = self.root / folder
        directory.mkdir(parents=True, exist_ok=True)
        text = retarget(source.read_text(encoding="utf-8"), directory)
        (directory / source.name).write_text(replace_ids(text, ids) if ids else text, encoding="utf-8")


def prepare(out: Path) -> None:
    """Empty `out` if an earlier run of this script made it; refuse to touch any other non-empty folder."""
    if (out / MARKER).is_file():
        shutil.rmtree(out)
    elif out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty and was not made by generate.py; choose another --out")
    out.mkdir(parents=True, exist_ok=True)


def generate(
    count: int,
    out: Path,
    seed: int = DEFAULT_SEED,
    dependencies: float = DEFAULT_DEPENDENCIES,
    teams: int | None = None,
    fit: float | None = None,
    windows: int | None = None,
) -> dict[str, float]:
    """Write a portfolio of `count` items to `out`; returns what was written (also kept in out/.generated.json).

    With `fit`, budgets and capacities are then sized to the items (see fit.py) for selection benchmarks.
    With `windows`, every project and initiative not yet active gets a start window of `windows` quarters
    either side of its start, within the horizon (drawing no random numbers, so the rest is unchanged)."""
    example_items = len(list((EXAMPLE / "items").glob("*.yaml")))
    if count < example_items:
        raise SystemExit(f"--items must be at least {example_items}, the example's item count")
    rng = random.Random(seed)
    model = read_model()
    prepare(out)
    writer = Writer(out)
    portfolio = (EXAMPLE / "portfolio.yaml").read_text(encoding="utf-8")
    (out / "portfolio.yaml").write_text(retarget(scale_budget(portfolio, count / example_items), out), encoding="utf-8")
    team_ids = write_teams(writer, team_count(count, teams), rng)
    items = plan_items(count, model, rng)
    prerequisites = Prerequisites()
    for position, item in enumerate(items):
        text = render_item(item, items, prerequisites, team_ids, model, rng, dependencies)
        writer.write("items", item.id, "item", text + window(item, model, windows))
        prerequisites.add(position, item)
        if item.has_case:
            writer.write("business-cases", f"{item.id}-case", "business-case", render_case(item, rng))
    for number in range(1, count // 10 + 1):
        ident, text = render_risk(number, items, rng)
        writer.write("risks", ident, "risk", text)
    mapping = map_example_ids(items)
    for folder in ("scenarios", "decisions"):
        for source in sorted((EXAMPLE / folder).glob("*.yaml")):
            writer.copy(source, folder, mapping)
    summary: dict[str, float] = {
        "items": count,
        "seed": seed,
        "dependencies": dependencies,
        "business_cases": sum(item.has_case for item in items),
        "teams": len(team_ids),
        "risks": count // 10,
    }
    if fit is not None:
        from fit import EXCLUSIONS, fit_portfolio

        summary |= {"fit": fit, **fit_portfolio(out, fit, EXCLUSIONS, rng)}
    (out / MARKER).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def window(item: Item, model: Model, quarters: int | None) -> str:
    """The item's start window, `quarters` either side of its start within the horizon ("" for none)."""
    if quarters is None or item.type == "programme" or item.stage.state == "active":
        return ""
    earliest = max(model.first, item.start - quarters)
    latest = max(min(model.last - item.duration + 1, item.start + quarters), earliest)
    return f"window: {{earliest: {quarter(earliest)}, latest: {quarter(latest)}}}\n"


def write_teams(writer: Writer, count: int, rng: random.Random) -> list[str]:
    """The example's teams, then generated squads up to `count`; returns every team id."""
    ids = []
    for source in sorted((EXAMPLE / "teams").glob("*.yaml")):
        writer.copy(source, "teams", {})
        ids.append(source.stem)
    for number in range(len(ids) + 1, count + 1):
        domain = DOMAINS[number % len(DOMAINS)]
        ident = f"{domain.slug}-squad-{number:03d}"
        writer.write("teams", ident, "team", render_team(ident, domain, number, rng))
        ids.append(ident)
    return ids


def team_count(items: int, teams: int | None) -> int:
    """Teams to generate: as asked, else one per 50 items and at least the example's seven."""
    return teams if teams is not None else max(7, items // 50)


def default_out(
    count: int,
    seed: int,
    dependencies: float = DEFAULT_DEPENDENCIES,
    teams: int | None = None,
    fit: float | None = None,
    windows: int | None = None,
) -> Path:
    name = f"items-{count}" if seed == DEFAULT_SEED else f"items-{count}-seed-{seed}"
    name += "" if dependencies == DEFAULT_DEPENDENCIES else f"-deps-{dependencies:g}"
    name += "" if teams is None else f"-teams-{teams}"
    name += "" if windows is None else f"-windows-{windows}"
    return GENERATED / (name if fit is None else f"{name}-fit-{fit:g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, required=True, help="number of items to generate")
    parser.add_argument("--out", type=Path, help="output folder (default: benchmarks/generated/items-N)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})")
    parser.add_argument(
        "--dependencies", type=float, default=DEFAULT_DEPENDENCIES, help="average dependencies per item (default: 1.5)"
    )
    parser.add_argument("--teams", type=int, help="number of teams (default: one per 50 items, at least 7)")
    parser.add_argument(
        "--fit",
        type=float,
        metavar="SHARE",
        help="size budgets and capacity to the committed items plus SHARE of the rest, and pair some proposals "
        "as exclusive (for selection benchmarks; needs pfm installed)",
    )
    parser.add_argument(
        "--windows", type=int, metavar="N", help="give items not yet active a start window of N quarters either side"
    )
    args = parser.parse_args()
    out = args.out or default_out(args.items, args.seed, args.dependencies, args.teams, args.fit, args.windows)
    made = generate(args.items, out, args.seed, args.dependencies, args.teams, args.fit, args.windows)
    print(
        f"wrote {out}: {made['items']} items, {made['business_cases']} business cases, "
        f"{made['teams']} teams, {made['risks']} risks (seed {made['seed']})"
    )


if __name__ == "__main__":
    main()
