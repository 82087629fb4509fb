"""Exact LP bounds for the CP-SAT stages (tiers 7–9), and plans that meet them.

The count model (``solver.model``) is linear, and after the flows have fixed tiers 1–6 its
feasible set is nearly a network flow: in practice its LP relaxation has the integer optimum
of the stage, and an optimal vertex is mostly integral already (nothing below relies on
either: they only decide whether a proof is found). So before a stage is searched, its LP
relaxation is solved (GLOP, simplex: deterministic, no time limit) and turned into a **proof**:

- **The bound.** For *any* multipliers ``y`` of the rows, ``c·x ≥ Σ_i y_i·b_i(y_i) +
  Σ_j min(r_j·lo_j, r_j·hi_j)`` with ``r = c − Aᵀy`` holds for every ``x`` within the
  variables' bounds that satisfies the rows (``b_i`` the row's lower bound where ``y_i > 0``,
  its upper bound where ``y_i < 0``): weak duality. The LP's duals are rounded to multiples
  of ``1/SCALE`` and the bound is computed in integers, so no rounding error of the LP can
  make it wrong; the objective is integral, so its ceiling is a lower bound of the stage.
- **The plan.** The LP's counts are rounded, the other variables completed from them, and
  the assignment is checked against every row in integers. A plan that satisfies all rows and
  reaches the bound is optimal: that is the proof, the same as CP-SAT's own.

Stages are lexicographic, so the LP of a later stage may already carry the earlier stages at
their bound (``extra`` rows): an integral plan that meets *all* those rows proves all those
stages at once (each earlier stage's value is at least its bound, since the plan is feasible,
and at most, by the row). When no plan meets the bound, the bound still goes to CP-SAT as a
constraint (``expr ≥ bound``, valid for every plan), which then only has to find a plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import ortools.linear_solver.linear_solver_pb2 as lp_pb2
from ortools.linear_solver.python import model_builder_helper as mbh
from ortools.sat.python import cp_model

Ints = npt.NDArray[np.int64]
SCALE = 1 << 20  # duals are rounded to multiples of 1 / SCALE
BIG = 1 << 62  # CP-SAT's "no bound"
Row = tuple[Ints, Ints, int | None, int | None]  # vars, coefs, low, high
MAX_DUAL = 1e9  # larger duals are not used (the bound is only claimed within int64)


@dataclass(frozen=True)
class Objective:
    """A stage's objective: ``coefs · x[vars] + offset``."""

    vars: Ints
    coefs: Ints
    offset: int

    def value(self, x: Ints) -> int:
        return int(np.dot(self.coefs, x[self.vars])) + self.offset


def objective_of(model: cp_model.CpModel, expr: cp_model.LinearExprT) -> Objective | None:
    """The objective ``expr`` as arrays (set on ``model``, read back from its proto); None
    if it is not a plain integer objective over variables."""
    model.minimize(expr)
    obj = model.proto.objective
    refs, offset = list(obj.vars), float(obj.offset)
    if obj.scaling_factor not in (0.0, 1.0) or (refs and min(refs) < 0) or \
            offset != int(offset) or len(obj.domain):
        return None
    return Objective(np.array(refs, dtype=np.int64), np.array(list(obj.coeffs), dtype=np.int64),
                     int(offset))


@dataclass
class Rows:
    """The linear rows and variable bounds of a CP-SAT model, read from its proto (every
    constraint of the count model is linear)."""

    lo: Ints
    hi: Ints
    rows: list[Row]
    read: int = 0  # constraints of the proto read so far

    @staticmethod
    def of(model: cp_model.CpModel) -> Rows | None:
        doms = [v.domain for v in model.proto.variables]
        if any(len(d) != 2 for d in doms):
            return None  # a domain with holes: its hull would admit plans the model does not
        rows = Rows(np.array([d[0] for d in doms], dtype=np.int64),
                    np.array([d[1] for d in doms], dtype=np.int64), [])
        return rows if rows.sync(model) else None

    def sync(self, model: cp_model.CpModel) -> bool:
        """Read the constraints added since the last call; False if one is not linear."""
        cons = model.proto.constraints
        for i in range(self.read, len(cons)):
            lin = cons[i].linear
            dom = list(lin.domain)
            refs = list(lin.vars)
            if len(dom) != 2 or len(cons[i].enforcement_literal) or (refs and min(refs) < 0):
                return False
            if not refs:  # a constant row: true, or no plan at all
                if dom[0] <= 0 <= dom[1]:
                    continue
                return False
            self.rows.append((np.array(refs, dtype=np.int64),
                              np.array(list(lin.coeffs), dtype=np.int64),
                              dom[0] if dom[0] > -BIG else None,
                              dom[1] if dom[1] < BIG else None))
        self.read = len(cons)
        return len(model.proto.variables) == len(self.lo)

    def feasible(self, x: Ints, extra: Sequence[tuple[Objective, int]] = ()) -> bool:
        """``x`` keeps every bound and row exactly (and ``extra``: objective ≤ value)."""
        if len(x) != len(self.lo) or (x < self.lo).any() or (x > self.hi).any():
            return False
        for refs, coefs, low, high in self.rows:
            act = int(np.dot(coefs, x[refs]))
            if (low is not None and act < low) or (high is not None and act > high):
                return False
        return all(obj.value(x) <= value for obj, value in extra)


@dataclass(frozen=True)
class LpResult:
    bound: int  # a proven lower bound of the objective over the rows (and ``extra``)
    x: npt.NDArray[np.float64]  # the LP's optimal vertex


def solve_lp(rows: Rows, obj: Objective,
             extra: Sequence[tuple[Objective, int]] = ()) -> LpResult | None:
    """The LP relaxation of ``rows`` (plus ``extra``: objective ≤ value) minimising ``obj``:
    its vertex and an exact lower bound (see the module docstring); None when GLOP does not
    prove an optimum (then nothing is claimed)."""
    req = lp_pb2.MPModelRequest(solver_type=lp_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING)
    model = req.model
    costs = np.zeros(len(rows.lo), dtype=np.int64)
    np.add.at(costs, obj.vars, obj.coefs)
    for lo, hi, c in zip(rows.lo.tolist(), rows.hi.tolist(), costs.tolist(), strict=True):
        model.variable.add(lower_bound=lo, upper_bound=hi, objective_coefficient=c)
    inf = float("inf")
    all_rows: list[Row] = [*rows.rows,
                           *((o.vars, o.coefs, None, v - o.offset) for o, v in extra)]
    for refs, coefs, low, high in all_rows:
        con = model.constraint.add(lower_bound=-inf if low is None else low,
                                   upper_bound=inf if high is None else high)
        con.var_index.extend(refs.tolist())
        con.coefficient.extend(coefs.tolist())
    helper = mbh.ModelSolverHelper("glop")
    if not hasattr(helper, "solve_serialized_request"):  # an OR-Tools without it: no LP
        return None
    out = lp_pb2.MPSolutionResponse()
    out.ParseFromString(helper.solve_serialized_request(req.SerializeToString()))
    if out.status != lp_pb2.MPSOLVER_OPTIMAL or len(out.dual_value) != len(all_rows):
        return None
    bound = dual_bound(rows, costs, obj.offset, all_rows,
                       np.array(out.dual_value, dtype=np.float64))
    return None if bound is None else LpResult(bound, np.array(out.variable_value))


def dual_bound(rows: Rows, costs: Ints, offset: int, all_rows: Sequence[Row],
               duals: npt.NDArray[np.float64]) -> int | None:
    """A lower bound of ``costs · x + offset`` over every integer ``x`` within the variables'
    bounds that keeps ``all_rows``, for *any* multipliers ``duals`` (weak duality, computed in
    integers: see the module docstring); None if the multipliers are too large to use."""
    if not np.isfinite(duals).all() or np.abs(duals).max(initial=0.0) > MAX_DUAL:
        return None
    y = np.rint(duals * SCALE).astype(np.int64)  # y = Y / SCALE
    # every partial sum below stays far inside int64 (checked in floats, with room to spare)
    reach = np.abs(costs).astype(np.float64) * SCALE
    for i, (refs, coefs, _, _) in enumerate(all_rows):
        np.add.at(reach, refs, abs(float(y[i])) * np.abs(coefs).astype(np.float64))
    if reach.max(initial=0.0) > 2.0 ** 60:
        return None
    # SCALE · bound = Σ_i Y_i · (row i's side) + Σ_j R_j · (x_j's bound), R = SCALE·c − AᵀY
    reduced = costs * SCALE
    total = 0
    for i, (refs, coefs, low, high) in enumerate(all_rows):
        yi = int(y[i])
        side = low if yi > 0 else high
        if yi == 0 or side is None:
            continue  # a multiplier against an open side would be invalid: drop it
        np.subtract.at(reduced, refs, yi * coefs)
        total += yi * side
    lo, hi = rows.lo.tolist(), rows.hi.tolist()
    for j, r in enumerate(reduced.tolist()):
        total += r * (lo[j] if r > 0 else hi[j])
    total += offset * SCALE
    return -(-total // SCALE)  # the objective is integral: its ceiling is a bound too


def meets(rows: Rows, obj: Objective, bound: int, x: Ints | None,
          extra: Sequence[tuple[Objective, int]] = ()) -> bool:
    """``x`` is a plan of the rows (and ``extra``) whose objective reaches ``bound``."""
    return x is not None and rows.feasible(x, extra) and obj.value(x) == bound
