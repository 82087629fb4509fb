"""The CP-SAT model of one doctor's year: one named function per rule, counts per class.

Patients of one class (:class:`solver.subproblem.PatientClass`: same pool, unit, window and
ideal date) are interchangeable, so the model has one integer variable per class and date –
how many of them get that date – and one for how many stay unplaced; for the moves, one per
previous date for how many keep it. Names are put on the counted places afterwards, in a
fixed order that keeps the previous dates first (``name_plan``).

Tiers 1–6 are proven by min-cost flow first (``solver.flow``); the model takes their optimum
as constraints (``≤`` the optimum, which every plan must reach, so ``=``) and leaves only the
later tiers to search, one stage each, each stage fixing the optimum of the one before:

7. ``spread``    – even over the weeks and, per unit, over the months (R9);
8. ``closeness`` – days to the ideal date (12 months after the last ÅMV, or the admission);
9. ``moved``     – unpinned ÅMV off their date in the previous plan (R10).

With a previous plan to keep (``KEEP_ORDER``), the flows have already proven the fewest
moves (they rank before the peaks): the model holds them at that optimum and the stages are
spread and closeness.

Exact domain reduction: a date whose days late alone exceed the proven total of tier 4, or
that would break a window (or be late for an overdue patient) when the proven optimum has no
such break, cannot be in any optimal plan and gets no variable. Rules R2–R4 and the slot part
of R5/R6 are kept by construction: a class only has variables for the free places of its
pool inside its patients' bounds.

Every constraint is linear (no ``add_max_equality`` and the like), so the stages can be
proven by their LP relaxation (``solver.relax``). The month bands of a unit are written as
tightly as the proven tiers allow: a unit whose number of unplaced patients cannot vary (the
proven tier 1 fixes it: the others' classes cannot take the rest) has a constant target;
one whose number varies within a few values has one boolean per value, with the floor and
ceil of each written out (``_chosen_band``); only a wider range uses floor and ceil
variables (``_scaled_band``). All three are the same band; the first two have a far tighter
LP.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from solver.calendar import iso_week
from solver.flow import FlowTiers, tier_values
from solver.rounds import PoolKey
from solver.subproblem import PatientClass, SubProblem, Week, band

LinearExpr = cp_model.LinearExpr | cp_model.IntVar | int
CHOICE_LIMIT = 40  # a unit's count varying over at most this many values: one boolean each


@dataclass
class VarBand:
    """A month band of a unit whose count (its patients minus its unplaced) may vary: the
    target is ``count * places / all_places``; ``floor``/``ceil`` are its integer variables
    when the model has them (``_scaled_band``), else the unit has a choice (``_chosen_band``)."""

    dev: cp_model.IntVar
    terms: list[cp_model.IntVar]
    fixed: int
    total: int
    unplaced: list[cp_model.IntVar]
    places: int
    all_places: int
    floor: cp_model.IntVar | None = None
    ceil: cp_model.IntVar | None = None


@dataclass
class CountModel:
    sub: SubProblem
    classes: list[PatientClass]
    model: cp_model.CpModel
    n: dict[tuple[int, date], cp_model.IntVar]
    unplaced: dict[int, cp_model.IntVar]
    proven: tuple[int, ...]  # tiers 1–6 from the flows
    stages: list[tuple[str, LinearExpr]] = field(default_factory=list)
    # (deviation, its load's count variables, fixed load, target): to hint the deviations
    bands: list[tuple[cp_model.IntVar, list[cp_model.IntVar], int, float]] = field(
        default_factory=list)
    scaled: list[VarBand] = field(default_factory=list)
    # per unit whose count may vary within a few: one boolean per number unplaced
    choices: list[tuple[dict[int, cp_model.IntVar], list[cp_model.IntVar]]] = field(
        default_factory=list)
    # (stay, its count variable, previous owners): stay = min(count, owners) at best
    stays: list[tuple[cp_model.IntVar, cp_model.IntVar, int]] = field(default_factory=list)

    def dates(self, ci: int) -> list[date]:
        return [d for d in self.classes[ci].dates if (ci, d) in self.n]


def _allowed(cls: PatientClass, day: date, proven: tuple[int, ...]) -> bool:
    """Exact domain reduction from the proven tiers 2–4."""
    _, broken, late, days_late = proven[:4]
    if cls.days_late(day) > days_late:
        return False
    if broken == 0 and cls.broken(day):
        return False
    return not (late == 0 and cls.late_overdue(day))


def rule_r1_one_review_each(cm: CountModel) -> None:
    """R1 (hard, made soft by ``unplaced``): each required patient gets exactly one ÅMV or is
    unplaced; the proven tier 1 bounds the unplaced."""
    for ci, cls in enumerate(cm.classes):
        terms = [cm.n[ci, d] for d in cm.dates(ci)]
        cm.model.add(sum(terms) + cm.unplaced[ci] == cls.size)
    # no plan leaves fewer unplaced than the flow's proven optimum: so exactly that many
    cm.model.add(sum(cm.unplaced.values()) == cm.proven[0])


def rule_r5_r6_capacity(cm: CountModel) -> None:
    """R5 (hard): at most "ÅMV per rond" per round date of a unit with ÅMV in the round.
    R6 (hard): at most "ÅMV per dag" per ÅMV day of the doctor, over all the doctor's units
    with separate ÅMV times. Both are pools; pinned and held ÅMV already took their place."""
    by_slot: dict[tuple[PoolKey, date], list[cp_model.IntVar]] = defaultdict(list)
    for (ci, day), var in cm.n.items():
        by_slot[cm.classes[ci].pool, day].append(var)
    free = {key: cm.sub.free(key) for key in cm.sub.pools}
    for (key, day), terms in sorted(by_slot.items(), key=lambda kv: (kv[0][1], str(kv[0][0]))):
        if len(terms) > 1:  # one variable alone already has the place as its upper bound
            cm.model.add(sum(terms) <= free[key][day])


def rule_r7_r8_windows(cm: CountModel) -> None:
    """R7 (within 28 days after admission) and R8 (6–12 months after the last ÅMV), hard
    where possible: tiers 2 (broken windows of patients not overdue), 3 (overdue patients
    seen after their 28 days) and 4 (days late) held at their proven optimum."""
    broken: list[LinearExpr] = []
    late: list[LinearExpr] = []
    days: list[LinearExpr] = []
    for ci, cls in enumerate(cm.classes):
        if cls.req.overdue:
            late.append(cm.unplaced[ci])
        else:
            broken.append(cm.unplaced[ci])
        for day in cm.dates(ci):
            var = cm.n[ci, day]
            if cls.broken(day):
                broken.append(var)
            if cls.late_overdue(day):
                late.append(var)
            if cls.days_late(day):
                days.append(cls.days_late(day) * var)
    for terms, bound in ((broken, cm.proven[1]), (late, cm.proven[2]), (days, cm.proven[3])):
        if terms:
            cm.model.add(sum(terms) <= bound)


def _week_and_day_terms(cm: CountModel) -> tuple[dict[Week, list[cp_model.IntVar]],
                                                 dict[date, list[cp_model.IntVar]]]:
    weeks: dict[Week, list[cp_model.IntVar]] = defaultdict(list)
    days: dict[date, list[cp_model.IntVar]] = defaultdict(list)
    for (_, day), var in sorted(cm.n.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        weeks[iso_week(day)].append(var)
        days[day].append(var)
    return weeks, days


def rule_r9_peaks(cm: CountModel) -> None:
    """R9 (objective, tiers 5 and 6): the doctor's weekly peak and then day peak, held at the
    optimum proven by the flows (pinned and held ÅMV count)."""
    weeks, days = _week_and_day_terms(cm)
    fixed_weeks = cm.sub.fixed_weeks()
    for week, terms in sorted(weeks.items()):
        cm.model.add(sum(terms) <= cm.proven[4] - fixed_weeks.get(week, 0))
    for day, terms in sorted(days.items()):
        cm.model.add(sum(terms) <= cm.proven[5] - cm.sub.fixed_day.get(day, 0))


def _band(model: cp_model.CpModel, load: LinearExpr, target: float, upper: int,
          name: str) -> cp_model.IntVar:
    """How far ``load`` lies outside [floor(target), ceil(target)]."""
    low, high = int(target), -int(-target // 1)
    dev = model.new_int_var(0, upper, name)
    model.add(dev >= load - high)
    model.add(dev >= low - load)
    return dev


def rule_r9_even_spread(cm: CountModel) -> LinearExpr:
    """R9 (objective, tier 7): even over the weeks that can hold an ÅMV (per doctor) and over
    the months (per unit, in proportion to the unit's places in each month)."""
    sub = cm.sub
    placed = sum(c.size for c in cm.classes) - cm.proven[0]
    weeks, _ = _week_and_day_terms(cm)
    fixed_weeks = sub.fixed_weeks()
    open_weeks = sub.open_weeks()
    devs: list[LinearExpr] = []
    if open_weeks:
        total = placed + sum(fixed_weeks.get(w, 0) for w in open_weeks)
        target = total / len(open_weeks)
        for week in open_weeks:
            load = sum(weeks.get(week, [])) + fixed_weeks.get(week, 0)
            dev = _band(cm.model, load, target, total,
                        f"week_spread(doctor={sub.doctor}, week={week[1]})")
            cm.bands.append((dev, weeks.get(week, []), fixed_weeks.get(week, 0), target))
            devs.append(dev)
    months: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for (ci, day), var in sorted(cm.n.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        months[cm.classes[ci].unit, day.month].append(var)
    unit_placed: dict[str, int] = defaultdict(int)
    unit_classes: dict[str, list[int]] = defaultdict(list)
    for ci, cls in enumerate(cm.classes):
        unit_placed[cls.unit] += cls.size
        unit_classes[cls.unit].append(ci)
    fixed_months: dict[tuple[str, int], int] = defaultdict(int)
    for (unit, day), k in sub.fixed_unit.items():
        fixed_months[unit, day.month] += k
        unit_placed[unit] += k
    # how many of a unit's patients may stay unplaced: at most the sum of its classes'
    # bounds, at least what the proven tier 1 leaves to it when the others are full
    most = {ci: _upper(cm.model, var) for ci, var in cm.unplaced.items()}
    unit_most = {unit: sum(most[ci] for ci in cis) for unit, cis in unit_classes.items()}
    everyone = sum(most.values())
    for unit, places in sub.unit_places().items():
        all_places = sum(places.values())
        if not all_places:
            continue
        high = min(unit_most[unit], cm.proven[0])
        low = max(0, cm.proven[0] - (everyone - unit_most[unit]))
        # the unit's count is a variable when some of its patients may stay unplaced
        unplaced = [cm.unplaced[ci] for ci in unit_classes[unit]]
        choice: dict[int, cp_model.IntVar] = {}
        if low < high <= CHOICE_LIMIT + low:
            choice = {v: cm.model.new_bool_var(f"unplaced(unit={unit}) == {v}")
                      for v in range(low, high + 1)}
            cm.model.add(sum(choice.values()) == 1)
            cm.model.add(sum(v * z for v, z in choice.items()) == sum(unplaced))
            cm.choices.append((choice, unplaced))
        for month, p in places.items():
            terms = months.get((unit, month), [])
            load = sum(terms) + fixed_months[unit, month]
            name = f"month_spread(unit={unit}, month={month})"
            if low == high:  # a fixed count: a fixed target
                target = (unit_placed[unit] - low) * p / all_places
                dev = _band(cm.model, load, target, unit_placed[unit], name)
                cm.bands.append((dev, terms, fixed_months[unit, month], target))
            elif choice:
                dev = _chosen_band(cm.model, load, choice, unit_placed[unit], p, all_places,
                                   name)
                cm.scaled.append(VarBand(dev, terms, fixed_months[unit, month],
                                         unit_placed[unit], unplaced, p, all_places))
            else:
                count = unit_placed[unit] - sum(unplaced)
                floor, ceil, dev = _scaled_band(cm.model, load, count, p, all_places,
                                                unit_placed[unit], name)
                cm.scaled.append(VarBand(dev, terms, fixed_months[unit, month],
                                         unit_placed[unit], unplaced, p, all_places, floor,
                                         ceil))
            devs.append(dev)
    return sum(devs)


def _upper(model: cp_model.CpModel, var: cp_model.IntVar) -> int:
    return int(list(model.proto.variables[var.index].domain)[-1])  # no negative index there


def _chosen_band(model: cp_model.CpModel, load: LinearExpr, choice: dict[int, cp_model.IntVar],
                 total: int, places: int, all_places: int, name: str) -> cp_model.IntVar:
    """``_band`` with the target of each possible number ``v`` unplaced written out:
    ``choice[v]`` is 1 for the one that holds, so floor and ceil are constants per choice (a
    tighter LP than ``_scaled_band``)."""
    floor = {v: (total - v) * places // all_places for v in choice}
    ceil = {v: -(-(total - v) * places // all_places) for v in choice}
    dev = model.new_int_var(0, total, name)
    model.add(dev >= load - sum(ceil[v] * z for v, z in choice.items()))
    model.add(dev >= sum(floor[v] * z for v, z in choice.items()) - load)
    return dev


def _scaled_band(model: cp_model.CpModel, load: LinearExpr, count: LinearExpr, places: int,
                 all_places: int, upper: int, name: str,
                 ) -> tuple[cp_model.IntVar, cp_model.IntVar, cp_model.IntVar]:
    """``_band`` with a variable target ``count * places / all_places``: dev ≥ load − ceil,
    dev ≥ floor − load, with floor/ceil written as integer variables."""
    low = model.new_int_var(0, upper, f"{name}_floor")
    # low = floor(count * places / all_places)
    model.add(low * all_places <= count * places)
    model.add(low * all_places > count * places - all_places)
    high = model.new_int_var(0, upper, f"{name}_ceil")
    model.add(high * all_places >= count * places)
    model.add(high * all_places < count * places + all_places)
    dev = model.new_int_var(0, upper, name)
    model.add(dev >= load - high)
    model.add(dev >= low - load)
    return low, high, dev


def rule_r8_closeness(cm: CountModel) -> LinearExpr:
    """Objective (tier 8): closeness in days to the ideal date – 12 months after the last ÅMV
    (R8), the admission (R7), or the first possible date for an overdue patient."""
    terms: list[LinearExpr] = []
    for (ci, day), var in sorted(cm.n.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        days = cm.classes[ci].closeness(day)
        if days:
            terms.append(days * var)
    return sum(terms)


def rule_r10_stability(cm: CountModel) -> LinearExpr:
    """R10 (objective, tier 9; pinned ÅMV are not variables at all, so they cannot move):
    each unpinned ÅMV that leaves its date in the previous plan costs 1."""
    terms: list[LinearExpr] = []
    for ci, cls in enumerate(cm.classes):
        if not cls.had_previous:
            continue
        terms.append(cls.had_previous)
        for day, k in cls.previous.items():
            var = cm.n.get((ci, day))
            if var is None:
                continue
            # stay = min(placed there, had it there): as many as the names can keep
            stay = cm.model.new_int_var(0, k, f"stay(class={cls.members[0]}, date={day})")
            cm.model.add(stay <= var)
            cm.stays.append((stay, var, k))
            terms.append(-stay)
    return sum(terms)


def complete(cm: CountModel, counts: Mapping[tuple[int, date], int],
             ) -> list[tuple[cp_model.IntVar, int]]:
    """Every variable's value for a counted plan (dates without a variable are dropped): the
    counts, the unplaced they leave, the smallest deviation of every band and the most
    stays. A complete hint, and the plan checked against an LP bound (``solver.relax``)."""
    out: list[tuple[cp_model.IntVar, int]] = []
    value: dict[int, int] = {}
    placed: dict[int, int] = defaultdict(int)
    for (ci, day), var in cm.n.items():
        k = counts.get((ci, day), 0)
        out.append((var, k))
        value[var.index] = k
        placed[ci] += k
    for ci, var in cm.unplaced.items():
        out.append((var, cm.classes[ci].size - placed[ci]))
        value[var.index] = out[-1][1]
    for dev, terms, fixed, target in cm.bands:
        out.append((dev, band(sum(value[v.index] for v in terms) + fixed, target)))
    for vb in cm.scaled:
        count = vb.total - sum(value[v.index] for v in vb.unplaced)
        floor = count * vb.places // vb.all_places
        ceil = -(-count * vb.places // vb.all_places)
        load = sum(value[v.index] for v in vb.terms) + vb.fixed
        out.append((vb.dev, max(0, load - ceil, floor - load)))
        if vb.floor is not None and vb.ceil is not None:
            out += [(vb.floor, floor), (vb.ceil, ceil)]
    for choice, unplaced in cm.choices:
        chosen = sum(value[v.index] for v in unplaced)
        out += [(z, int(v == chosen)) for v, z in choice.items()]
    for stay, var, k in cm.stays:
        out.append((stay, min(value[var.index], k)))
    return out


def build_model(sub: SubProblem, classes: list[PatientClass], ft: FlowTiers) -> CountModel:
    """The doctor's count model with every rule, tiers 1–6 fixed at their proven optimum, and
    the objective stages 7–9 in priority order."""
    proven = (*tier_values(classes, ft.base), ft.peak_week, ft.peak_day)
    model = cp_model.CpModel()
    n: dict[tuple[int, date], cp_model.IntVar] = {}
    unplaced: dict[int, cp_model.IntVar] = {}
    free = {key: sub.free(key) for key in sub.pools}
    for ci, cls in enumerate(classes):
        first = cls.members[0]
        for day in cls.dates:
            if (ci, day) in ft.base.never or not _allowed(cls, day, proven):
                continue
            ub = min(cls.size, free[cls.pool][day])
            n[ci, day] = model.new_int_var(0, ub, f"reviews(class={first}, date={day})")
        may_stay = proven[0] > 0 and (proven[2] if cls.req.overdue else proven[1]) > 0
        may_stay = may_stay and ci not in ft.base.never_unplaced
        unplaced[ci] = model.new_int_var(0, cls.size if may_stay else 0,
                                         f"unplaced(class={first})")
    cm = CountModel(sub, classes, model, n, unplaced, proven)
    rule_r1_one_review_each(cm)
    rule_r5_r6_capacity(cm)
    rule_r7_r8_windows(cm)
    rule_r9_peaks(cm)
    if ft.moved is None:
        cm.stages = [
            ("spread", rule_r9_even_spread(cm)),
            ("closeness", rule_r8_closeness(cm)),
            ("moved", rule_r10_stability(cm)),
        ]
    else:  # a move needs a reason: the flows proved the fewest moves before the peaks
        stability = rule_r10_stability(cm)
        if not isinstance(stability, int):
            cm.model.add(stability <= ft.moved)
        cm.stages = [
            ("moved", ft.moved),
            ("spread", rule_r9_even_spread(cm)),
            ("closeness", rule_r8_closeness(cm)),
        ]
    return cm
