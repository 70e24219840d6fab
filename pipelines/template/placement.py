"""Choose which printed figure fills which template cell.

Most layouts are unambiguous: every figure sits in its column (the *baseline*). Text pulled out of
PDFs shifts and drops cells, so a figure's position no longer says its column. The template's own
arithmetic then decides: among all readings that keep the printed order of each row, take one that
satisfies the consistency rules, agrees with the narrative where it states figures, and moves the
figures least from their baseline columns. This is a small integer program, solved with OR-Tools
CP-SAT. A reading that differs from the baseline is recorded as a repair; when no reading satisfies
the rules the baseline is kept and the failure recorded, never a silent change.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from models.catalog import CellKey, figure_kind
from models.rules import RuleInstance
from models.vocab import Reading, ValueStatus
from pipelines.template.labels import SIGN_WORDS, parse_cell
from pipelines.template.printed_lines import PrintedLine, Slot, cut_text

if TYPE_CHECKING:
    from pipelines.template import cp_sat

_SCALE = 100  # figures ×100 as integers: counts are whole, a few amounts have two decimals
_HINT_WEIGHT = 4  # cost of disagreeing with a figure stated in the narrative
# The solver's budget in CP-SAT's deterministic time (work units, not seconds), so a report reads
# the same on a busy machine as on an idle one; the largest solve of the tests and the generated
# corpus uses about 1 unit (0.5 s here). The wall-clock limit is only a backstop for a
# pathological model (a file's parse has its own time limit in the pool).
_WORK_LIMIT = 20.0
_WALL_LIMIT_S = 120.0
# Where the print and the rules leave a tie, a figure is less likely to belong to these applicant
# columns than to 自然人 (most requests come from natural persons) or to 总计.
_UNUSUAL_COLUMNS = frozenset(
    {"commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org"}
)


@dataclass(frozen=True)
class CellReading:
    value: float | None
    status: ValueStatus
    raw_text: str | None
    # Read from an image by OCR: how sure the recogniser was (0–1; 1.0 for a cell without ink);
    # None for a cell read from text.
    confidence: float | None = None


def blank_cell(line: PrintedLine) -> CellReading:
    """A cell of the line with nothing printed in it."""
    for slot in line.slots:  # line.from_image, without a generator: it runs for every line
        if slot.image is not None:
            return _BLANK_IMAGE
    return _BLANK


# Readings are immutable: every blank cell shares one.
_BLANK = CellReading(0.0, ValueStatus.BLANK, "", None)
_BLANK_IMAGE = CellReading(0.0, ValueStatus.BLANK, "", 1.0)


def token_cell(token: Slot, target: CellKey, value: float | None = None, text: str | None = None) -> CellReading:
    """The cell a printed figure fills (`value`/`text`: an alternative reading the rules chose);
    unreadable, with a NULL value, when what it prints is no figure `target`'s column allows."""
    figure = token.value.value if value is None else value
    status = token.value.status if value is None else ValueStatus.NUMBER
    return _reading(
        figure,
        status,
        token.text if text is None else text,
        target.column_key,
        token.image.confidence if token.image is not None else None,
        token.value.unit,
    )


# The same figures (0, 1, 2 …) fill most cells of every report, and a reading is immutable: each
# is made once and shared (typed: 1 and 1.0 stay apart).
@lru_cache(maxsize=1 << 14, typed=True)
def _reading(
    figure: float | None, status: ValueStatus, text: str, column_key: str, confidence: float | None, unit: str | None
) -> CellReading:
    kind = figure_kind(column_key)
    if status == ValueStatus.NUMBER and (figure is None or kind.fault(figure) is not None):
        status = ValueStatus.UNREADABLE
    elif status == ValueStatus.NUMBER and unit in SIGN_WORDS and not kind.signed:
        status = ValueStatus.UNREADABLE  # 增3 in a column of counts: a change where none belongs
    elif status == ValueStatus.NUMBER and unit == "万" and kind.whole:
        status = ValueStatus.UNREADABLE  # 3万 of a count is 30000, not 3: only money is printed in 万
    return CellReading(None if status == ValueStatus.UNREADABLE else figure, status, text, confidence)


def unknown(token: Slot) -> bool:
    """A printed token whose value is not known (unreadable): the rules treat it as any whole
    number within the limits, never as 0."""
    return token.value.status == ValueStatus.UNREADABLE or token.value.value is None


@dataclass(frozen=True)
class Repair:
    label: str
    printed: tuple[str, ...]  # the slots as printed, blanks included
    moves: tuple[tuple[str, str, str], ...]  # (figure, baseline cell, chosen cell)
    reason: str


@dataclass
class Placement:
    cells: dict[CellKey, CellReading]
    outcome: Reading
    repairs: list[Repair] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)  # equally good readings, where there are


def ocr_readings(token: Slot, targets: list[CellKey]) -> list[tuple[str, float]]:
    """The readings of a figure read by OCR: (text, value), the one read first, then the
    recogniser's alternatives that are figures one of `targets` allows. No reading for a token
    read as no figure (unreadable): it is unknown to the rules, as any unreadable cell."""
    if unknown(token) or token.value.value is None:
        return []
    first = [(token.text, token.value.value)]
    if token.image is None or token.value.status != ValueStatus.NUMBER:
        return first
    others = []
    for text, _ in token.image.alternatives:
        value = parse_cell(text)
        if (
            value is not None
            and value.status == ValueStatus.NUMBER
            and value.value is not None
            and any(figure_kind(t.column_key).fault(value.value) is None for t in targets)
        ):
            others.append((text, value.value))
    return first + others


def _valid(line: PrintedLine, positions: list[int]) -> bool:
    """Positions strictly increasing (so the first is the least and the last the greatest) and
    inside the line's targets; C-level comparisons, as it runs for every line of every report."""
    if not positions:
        return True
    return (
        positions[0] >= 0
        and positions[-1] < len(line.targets)
        and len(set(positions)) == len(positions)
        and positions == sorted(positions)
    )


def _cells_of(
    lines: list[PrintedLine], positions: list[list[int]], tokens: list[list[Slot]] | None = None
) -> dict[CellKey, CellReading]:
    """`tokens`: each line's tokens, where the caller has them already."""
    cells: dict[CellKey, CellReading] = {}
    for li, (line, pos) in enumerate(zip(lines, positions, strict=False)):
        targets = line.targets
        # Each cell of the line blank (one immutable reading serves them all), then the figures
        # in their places; the line's cells enter the dictionary once, in the targets' order.
        readings = [blank_cell(line)] * len(targets)
        for token, p in zip(line.tokens if tokens is None else tokens[li], pos, strict=False):
            value = token.value
            readings[p] = _reading(
                value.value,
                value.status,
                token.text,
                targets[p].column_key,
                token.image.confidence if token.image is not None else None,
                value.unit,
            )  # token_cell, inlined: a report fills about 150 cells so
        cells.update(zip(targets, readings, strict=True))
    return cells


def _checkable_hold(rules: list[RuleInstance], cells: Mapping[CellKey, CellReading]) -> bool:
    """Whether every rule whose cells all hold a known value holds (`cells` has every cell of the
    rules). A rule on an unreadable cell cannot be checked: its value is unknown, not 0."""
    for rule in rules:
        values = [cells[c].value for c in rule.cell_tuple]
        if None in values:
            continue
        # The same products summed in the same order as Σ coefficient × value over the terms.
        residual = sum(map(operator.mul, rule.coefficients, values))
        if not abs(residual) < 1e-6:
            return False
    return True


@dataclass(frozen=True)
class _Solution:
    positions: list[list[int]]
    alternative: list[list[int]] | None  # another reading that satisfies the rules, if any
    # Lines printed run together with several cuts (PrintedLine.readings): the cut chosen, and
    # the cut in the alternative reading; None for other lines.
    cuts: list[int | None] = field(default_factory=list)
    alternative_cuts: list[int | None] | None = None
    # Figures read by OCR with alternative readings: (line, token) → the reading chosen (0 = as read).
    choices: dict[tuple[int, int], int] = field(default_factory=dict)


def _best_placement(
    lines: list[PrintedLine],
    rules: list[RuleInstance],
    hints: Mapping[CellKey, float],
) -> _Solution | None:
    """Best reading under the rules: least displacement from the print (and disagreement with
    the narrative); the applicant prior only breaks ties. Also returns another reading that
    satisfies the rules, if there is one."""
    # Imported here: OR-Tools' binding, which the build's own process never needs (the parse
    # server imports it once, in parse_warmup, before it forks any worker).
    from pipelines.template import cp_sat

    model = cp_sat.CpModel()
    x: list[list[list[cp_sat.IntVar]]] = []
    z: list[list[cp_sat.IntVar]] = []  # per line with several cuts: one boolean per cut
    cell_expr: dict[CellKey, list] = {}
    evidence: list[Any] = []  # displacement from the print, disagreement with the narrative, OCR readings not taken
    prior = []
    choice: dict[tuple[int, int], list[cp_sat.IntVar]] = {}
    for li, line in enumerate(lines):
        n = len(line.targets)
        if line.readings:
            # Figures run together, cut in several ways: exactly one cut is the reading; every
            # cut fills all the row's cells, in order, so nothing else about the line is free.
            zs = [model.new_bool_var(f"cut{li}_{c}") for c in range(len(line.readings))]
            model.add_exactly_one(zs)
            z.append(zs)
            x.append([])
            for j, target in enumerate(line.targets):
                terms = cell_expr.setdefault(target, [])
                for c, cut in enumerate(line.readings):
                    scaled = round((cut[j].value.value or 0.0) * _SCALE)
                    if scaled:
                        terms.append(scaled * zs[c])
            continue
        z.append([])
        tokens = line.tokens
        xs = [[model.new_bool_var(f"x{li}_{t}_{j}") for j in range(n)] for t in range(len(tokens))]
        x.append(xs)
        for t, token in enumerate(tokens):
            model.add_exactly_one(xs[t])
            if unknown(token):
                # Printed, but no figure: any whole number the cell may hold, wherever it sits.
                _add_unknown(model, f"u{li}_{t}", xs[t], line.targets, cell_expr)
                if line.informed:
                    evidence.extend(abs(j - line.baseline[t]) * xs[t][j] for j in range(n))
                continue
            scaled = round((token.value.value or 0.0) * _SCALE)
            readings = ocr_readings(token, line.targets)
            if len(readings) > 1:
                # OCR gave other readings of this figure: exactly one is the figure, any but the
                # one read costs a step of evidence, and the rules weigh them with the rest.
                ys = [model.new_bool_var(f"ocr{li}_{t}_{a}") for a in range(len(readings))]
                model.add_exactly_one(ys)
                choice[(li, t)] = ys
                evidence.extend(ys[1:])
            for j in range(n):
                if line.informed:  # an uninformed baseline is no evidence for any column
                    evidence.append(abs(j - line.baseline[t]) * xs[t][j])
                if scaled and line.targets[j].column_key in _UNUSUAL_COLUMNS:
                    prior.append(xs[t][j])
                if len(readings) > 1:
                    for a, (_, value) in enumerate(readings):
                        both = model.new_bool_var(f"ocr{li}_{t}_{a}_at{j}")
                        model.add_multiplication_equality(both, [xs[t][j], choice[(li, t)][a]])
                        if round(value * _SCALE):
                            cell_expr.setdefault(line.targets[j], []).append(round(value * _SCALE) * both)
                elif scaled:
                    cell_expr.setdefault(line.targets[j], []).append(scaled * xs[t][j])
        for j in range(n):
            model.add_at_most_one(xs[t][j] for t in range(len(tokens)))
        # Printed order is kept: token t sits left of token t+1.
        for t in range(len(tokens) - 1):
            model.add(sum(j * xs[t][j] for j in range(n)) + 1 <= sum(j * xs[t + 1][j] for j in range(n)))
        for target in line.targets:
            cell_expr.setdefault(target, [])

    def value_of(cell: CellKey):
        return sum(cell_expr[cell]) if cell_expr[cell] else 0

    for rule in rules:
        model.add(sum(coef * value_of(c) for c, coef in rule.terms) == 0)
    cut_cells = {t for line in lines if line.readings for t in line.targets}
    cut_hints = []  # (agreement, cell) for hints on cells of lines cut in several ways
    for cell, stated in hints.items():
        if cell not in cell_expr:
            continue
        agrees = model.new_bool_var(f"hint_{cell.row_key}_{cell.column_key}")
        model.add(value_of(cell) == round(stated * _SCALE)).only_enforce_if(agrees)
        evidence.append(_HINT_WEIGHT * (1 - agrees))
        if cell in cut_cells:
            cut_hints.append(agrees)
    evidence_cost = sum(evidence)
    # Evidence dominates: the prior (at most one per figure) can never outweigh one step of it.
    n_tokens = sum(len(line.tokens) for line in lines)
    model.minimize((n_tokens + 1) * evidence_cost + sum(prior))
    solver = cp_sat.CpSolver()
    solver.parameters.max_deterministic_time = _WORK_LIMIT
    solver.parameters.max_time_in_seconds = _WALL_LIMIT_S
    solver.parameters.num_workers = 1  # deterministic, and parsing runs many reports in parallel
    if solver.solve(model) not in (cp_sat.OPTIMAL, cp_sat.FEASIBLE):
        return None

    def positions() -> list[list[int]]:
        return [
            list(range(len(line.targets)))
            if zs
            else [next(j for j in range(len(line.targets)) if solver.boolean_value(xs[t][j])) for t in range(len(xs))]
            for line, xs, zs in zip(lines, x, z, strict=False)
        ]

    def cuts() -> list[int | None]:
        return [next(c for c, v in enumerate(zs) if solver.boolean_value(v)) if zs else None for zs in z]

    def choices() -> dict[tuple[int, int], int]:
        return {key: next(a for a, v in enumerate(ys) if solver.boolean_value(v)) for key, ys in choice.items()}

    chosen, chosen_cuts, chosen_readings = positions(), cuts(), choices()
    # Does any other reading satisfy the rules? Then the rules do not prove this one: it is the
    # reading nearest the print, a guess that must say so. A cut of run-together figures that the
    # narrative contradicts is no such reading: figures the narrative states hold the cut to them.
    # Each line's choices in this reading, so that every line another reading changes is found
    # (and named), not only those of the first other reading: a line the rules leave free (7, 1, 8
    # under seven columns: the 1 in any of five) must say so even where another line differs too.
    picked_of: list[list[cp_sat.IntVar]] = [
        [xs[t][pos[t]] for t in range(len(xs))] for xs, pos in zip(x, chosen, strict=False)
    ]
    # The same, without the zeros: a 0 moved to another column changes no cell's value (a blank
    # holds 0 too), so after the first other reading only lines whose figures move are asked about.
    valued_of: list[list[cp_sat.IntVar]] = [
        [xs[t][pos[t]] for t in range(len(xs)) if unknown(line.tokens[t]) or line.tokens[t].value.value]
        for line, xs, pos in zip(lines, x, chosen, strict=False)
    ]
    for li, (zs, cut_at) in enumerate(zip(z, chosen_cuts, strict=False)):
        if cut_at is not None:
            picked_of[li].append(zs[cut_at])
            valued_of[li].append(zs[cut_at])
    for (li, t), a in chosen_readings.items():
        picked_of[li].append(choice[(li, t)][a])
        valued_of[li].append(choice[(li, t)][a])
    held = [a for a in cut_hints if solver.boolean_value(a)]
    unsettled = [li for li, lits in enumerate(picked_of) if lits]
    if not unsettled:
        return _Solution(chosen, None, chosen_cuts, None, chosen_readings)
    model.clear_objective()
    for agrees in held:
        model.add(agrees == 1)
    alt_positions: list[list[int]] | None = None
    alt_cuts: list[int | None] | None = None
    asking = picked_of  # the first question: any other reading at all, as the outcome depends on it
    while unsettled:
        # Another reading that changes at least one line not yet shown to change (assumed, so
        # the next round can ask about the lines left).
        ask = model.new_bool_var(f"other{len(unsettled)}")
        lits = [lit for li in unsettled for lit in asking[li]]
        model.add(sum(lits) <= len(lits) - 1).only_enforce_if(ask)
        model.clear_assumptions()
        model.add_assumptions([ask])
        if solver.solve(model) not in (cp_sat.OPTIMAL, cp_sat.FEASIBLE):
            break
        found_positions, found_cuts = positions(), cuts()
        if alt_positions is None or alt_cuts is None:
            alt_positions, alt_cuts = found_positions, found_cuts
        changed = [li for li in unsettled if not all(solver.boolean_value(lit) for lit in picked_of[li])]
        for li in changed:
            alt_positions[li], alt_cuts[li] = found_positions[li], found_cuts[li]
        asking = valued_of
        unsettled = [li for li in unsettled if li not in changed and valued_of[li]]
    return _Solution(chosen, alt_positions, chosen_cuts, alt_cuts, chosen_readings)


# Readings a line may take before the proof below gives way to the solver (section 4's 15 cells
# with seven figures left have 6,435 placements: listing them costs more than the solver).
_PROOF_OPTIONS = 1000


def _proven_reading(lines: list[PrintedLine], rules: list[RuleInstance]) -> _Solution | None:
    """The reading of the print, where the rules leave exactly one: each line's readings (the
    order-preserving placements of its figures, or the cuts of its run-together figures), and a
    rule whose other lines are settled strikes the readings of its one unsettled line that break
    it, until every line has one left. That reading is then the only one the solver's model
    admits (its hard constraints are these rules over these readings; the narrative only weighs
    readings), so it is the solver's best and no other reading exists: both solves are spared.
    None where this proves nothing (readings left to choose, OCR alternatives, too many to list):
    the solver decides, as before."""
    where: dict[CellKey, tuple[int, int]] = {}
    counts = []
    for li, line in enumerate(lines):
        for j, target in enumerate(line.targets):
            if where.setdefault(target, (li, j)) != (li, j):
                return None  # a cell in two lines: not the model this mirrors
        if line.readings:
            counts.append(len(line.readings))
        elif any(token.image is not None for token in line.tokens):
            return None  # OCR figures may have other readings: the solver weighs them
        else:
            counts.append(math.comb(len(line.targets), len(line.tokens)))
        if counts[-1] > _PROOF_OPTIONS:
            return None
    # Each line's readings are listed when a rule first strikes among them (or it has one).
    options: list[list[tuple[int, ...]] | None] = [None] * len(lines)
    values: list[list[tuple[int | None, ...]] | None] = [None] * len(lines)  # scaled value per target

    def listed(li: int) -> list[tuple[int | None, ...]]:
        found = values[li]
        if found is not None:
            return found
        line = lines[li]
        n = len(line.targets)
        rows: list[tuple[int | None, ...]] = []
        if line.readings:
            options[li] = [(c,) for c in range(len(line.readings))]
            # As the model weighs a cut: its figures in the row's cells, in order (unknown as 0).
            rows.extend(tuple(round((cut[j].value.value or 0.0) * _SCALE) for j in range(n)) for cut in line.readings)
        else:
            tokens = line.tokens
            scaled = [None if unknown(token) else round((token.value.value or 0.0) * _SCALE) for token in tokens]
            placements = list(itertools.combinations(range(n), len(tokens)))
            options[li] = placements
            for pos in placements:
                row: list[int | None] = [0] * n
                for p, v in zip(pos, scaled, strict=True):
                    row[p] = v
                rows.append(tuple(row))
        values[li] = rows
        return rows

    alive: list[list[int]] = [[0] if count == 1 else list(range(count)) for count in counts]
    terms = [[(*where[c], coef) for c, coef in rule.terms] for rule in rules]  # (line, target, coefficient)
    changed = True
    while changed:
        changed = False
        for rule in terms:
            open_lines = {li for li, _, _ in rule if len(alive[li]) > 1}
            if len(open_lines) > 1:
                continue
            settled = 0
            unknown_value = False
            for li, j, coef in rule:
                if li in open_lines:
                    continue
                v = listed(li)[alive[li][0]][j]
                if v is None:
                    unknown_value = True  # an unreadable figure: any value, the rule decides nothing
                    break
                settled += coef * v
            if unknown_value:
                continue
            if not open_lines:
                if settled != 0:
                    return None  # no reading holds: the solver says so
                continue
            (open_line,) = open_lines
            mine = [(j, coef) for li, j, coef in rule if li == open_line]
            rows = listed(open_line)
            keep = []
            for o in alive[open_line]:
                row = rows[o]
                residual: int | None = settled
                for j, coef in mine:
                    v = row[j]
                    if v is None:
                        residual = None  # unknown here: the rule cannot strike this reading
                        break
                    residual += coef * v  # type: ignore[operator]
                if residual is None or residual == 0:
                    keep.append(o)
            if not keep:
                return None
            if len(keep) < len(alive[open_line]):
                alive[open_line] = keep
                changed = True
    if any(len(a) != 1 for a in alive):
        return None
    positions = []
    cuts: list[int | None] = []
    for li, (line, a) in enumerate(zip(lines, alive, strict=True)):
        listed(li)
        chosen = options[li][a[0]]  # type: ignore[index]
        if line.readings:
            positions.append(list(range(len(line.targets))))
            cuts.append(chosen[0])
        else:
            positions.append(list(chosen))
            cuts.append(None)
    return _Solution(positions, None, cuts, None, {})


def place_figures(
    lines: list[PrintedLine],
    rules: list[RuleInstance],
    hints: Mapping[CellKey, float] | None = None,
) -> Placement:
    """Read the lines of one report's ruled sections (3 and 4) into cells."""
    hints = hints or {}
    present: set[CellKey] = set()
    for line in lines:
        present.update(line.targets)
    applicable = [r for r in rules if present.issuperset(r.cell_tuple)]
    baseline = [list(line.baseline) for line in lines]
    tokens = [line.tokens for line in lines]
    too_many = [line for line, toks in zip(lines, tokens, strict=True) if len(toks) > len(line.targets)]
    too_many_said = [_too_many_doubt(line) for line in too_many]
    if too_many:
        # More figures than columns: no reading exists; keep the first figures in order.
        for line in too_many:
            keep = len(line.targets)
            line.slots = [s for s in line.slots if s.value.status == ValueStatus.BLANK] + line.tokens[:keep]
            line.baseline = list(range(keep))
        baseline = [list(line.baseline) for line in lines]
    several_cuts = any(line.readings for line in lines)
    if (
        not too_many  # no reading of the print exists: the solver keeps the first figures
        and not several_cuts
        and all(_valid(line, pos) for line, pos in zip(lines, baseline, strict=False))
        and all(line.informed for line in lines)
    ):
        cells = _cells_of(lines, baseline, tokens)
        if _checkable_hold(applicable, cells):
            return Placement(cells, Reading.AS_PRINTED)

    solution = _proven_reading(lines, applicable) or _best_placement(lines, applicable, hints)
    outcome, reason = (
        Reading.REPAIRED,
        "the printed positions break the consistency rules or are ambiguous; this reading satisfies C1–C4",
    )
    if solution is not None and solution.alternative is not None:
        outcome = Reading.AMBIGUOUS
        reason = (
            "figures shifted or dropped; more than one reading satisfies C1–C4; this one is nearest the "
            "printed positions (ties go to natural persons, the usual applicants) and is a guess"
        )
    if solution is None:
        # No reading satisfies the rules: keep the nearest order-preserving reading of the print.
        solution = _best_placement(lines, [], {})
        outcome, reason = (
            Reading.UNRESOLVED,
            "no reading of the printed figures satisfies C1–C4; figures kept as printed",
        )
        assert solution is not None
    chosen = solution.positions
    doubts = []
    for li, line in enumerate(lines):
        cut = solution.cuts[li] if li < len(solution.cuts) else None
        if cut is None:
            continue
        line.slots = line.readings[cut]  # the cut read; the others stay in line.readings
        alt = solution.alternative_cuts[li] if solution.alternative_cuts else None
        if outcome == Reading.AMBIGUOUS and alt is not None and alt != cut:
            doubts.append(_cut_doubt(line, cut, [alt], "another cut consistent with the rules reads"))
        elif outcome == Reading.UNRESOLVED:
            doubts.append(
                _cut_doubt(line, cut, [c for c in range(len(line.readings)) if c != cut], "a guess; other cuts")
            )
    cells = _cells_of(lines, chosen)
    repairs = []
    for (li, t), a in solution.choices.items():
        if a == 0:
            continue
        line, token = lines[li], lines[li].tokens[t]
        text, value = ocr_readings(token, line.targets)[a]
        target = line.targets[chosen[li][t]]
        cells[target] = token_cell(token, target, value, text)
        confidence = token.image.confidence if token.image is not None else 0.0
        repairs.append(
            Repair(
                line.label,
                tuple(s.text for s in line.slots),
                ((token.text, _cell_name(target), _cell_name(target)),),
                f"OCR read {token.text!r} (confidence {confidence:.2f}) and offered {text!r}; only {text!r} "
                "satisfies C1–C4",
            )
        )
    for line, base, pos in zip(lines, baseline, chosen, strict=False):
        if base != pos:
            moves = tuple(
                (tok.text, _cell_name(line.targets[min(b, len(line.targets) - 1)]), _cell_name(line.targets[p]))
                for tok, b, p in zip(line.tokens, base, pos, strict=False)
                if b != p
            )
            repairs.append(Repair(line.label, tuple(s.text for s in line.slots), moves, reason))
    for li, line in enumerate(lines):
        cut = solution.cuts[li] if li < len(solution.cuts) else None
        if cut is not None and outcome == Reading.REPAIRED:
            # The rules chose the cut: the print alone did not say where the figures part.
            repairs.append(
                Repair(
                    line.label,
                    (line.run,),
                    tuple(
                        (s.text, f"run {line.run!r}", _cell_name(t))
                        for s, t in zip(line.slots, line.targets, strict=False)
                    ),
                    f"figures printed run together can be cut into these cells in {len(line.readings)} ways; "
                    "only this one satisfies C1–C4 (and the narrative's figures)",
                )
            )
    if solution.alternative is not None and outcome == Reading.AMBIGUOUS:
        for line, chosen_pos, alt_pos in zip(lines, chosen, solution.alternative, strict=False):
            if line.readings:
                continue  # said above, as a cut
            if chosen_pos != alt_pos:
                placed = ", ".join(
                    f"{tok.text} in {_cell_name(line.targets[a])}"
                    for tok, p, a in zip(line.tokens, chosen_pos, alt_pos, strict=False)
                    if p != a
                )
                doubts.append(f"{line.label}: another reading consistent with the rules puts {placed}")
    if too_many:
        outcome = Reading.UNRESOLVED
        doubts = too_many_said + doubts
    if outcome == Reading.REPAIRED and not repairs:
        outcome = Reading.AS_PRINTED
    return Placement(cells, outcome, repairs, doubts)


def _add_unknown(
    model: cp_sat.CpModel,
    name: str,
    xs: list[cp_sat.IntVar],
    targets: list[CellKey],
    cell_expr: dict[CellKey, list],
) -> None:
    """An unreadable token: one unknown whole number within its column's limit, added to the cell
    the token is placed in (and to no other)."""
    top = int(max(figure_kind(t.column_key).limit for t in targets))
    value = model.new_int_var(0, top, name)
    for j, target in enumerate(targets):
        here = model.new_int_var(0, top, f"{name}_at{j}")
        model.add(here == value).only_enforce_if(xs[j])
        model.add(here == 0).only_enforce_if(xs[j].Not())
        cell_expr.setdefault(target, []).append(_SCALE * here)


def _too_many_doubt(line: PrintedLine) -> str:
    """What a row printing more figures than it has cells must say: which row, what it prints,
    and which figures were kept (the first, in order: a guess, as nothing says which is extra)."""
    rows = ", ".join(dict.fromkeys(t.row_key for t in line.targets))
    printed = [t.text for t in line.tokens]
    keep = len(line.targets)
    return (
        f"{line.label} ({rows}): {len(printed)} figures printed for {keep} cells "
        f"({' | '.join(printed)}); the first {keep} kept in order, a guess; set aside: {' | '.join(printed[keep:])}"
    )


def _cut_doubt(line: PrintedLine, cut: int, others: list[int], said: str) -> str:
    rows = ", ".join(dict.fromkeys(t.row_key for t in line.targets))
    shown = " or ".join(cut_text(line.readings[c]) for c in others[:3]) + (
        f" (and {len(others) - 3} more)" if len(others) > 3 else ""
    )
    return f"{line.label} ({rows}): figures run together as {line.run!r} read as {cut_text(line.readings[cut])}; {said} {shown}"


def _cell_name(cell: CellKey) -> str:
    return f"{cell.row_key}.{cell.column_key}"
