"""OR-Tools' CP-SAT for the placement solver (placement), through the library's own C++ binding
(`ortools.sat.python.cp_model_helper`), not its `cp_model` module.

`cp_model` is a thin layer over that binding (its model class subclasses the binding's, and its
expressions, variables and constraints are the binding's), but it imports pandas and numpy at its
top for its pandas helpers (`new_int_var_series` and the like), which placement never uses.
pandas cost 0.2 CPU s of the parse server's warm-up, paid by every night that parses a file (numpy
is the build's already, by pyarrow). The few calls placement makes are here, each making the
binding's call `cp_model`'s method of the same name makes (ortools 9.15), so the model handed to
the solver is the same proto and the solve the same (tests/test_cp_sat.py compares the protos of
both over generated reports' models)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model_helper as cmh
from ortools.util.python.sorted_interval_list import Domain  # type: ignore[import-untyped]  # no stubs

BoundedLinearExpression = cmh.BoundedLinearExpression
Constraint = cmh.Constraint
IntVar = cmh.IntVar
LinearExpr = cmh.LinearExpr
Literal = cmh.Literal
Status = cmh.CpSolverStatus
OPTIMAL = cmh.CpSolverStatus.OPTIMAL
FEASIBLE = cmh.CpSolverStatus.FEASIBLE


class CpModel(cmh.CpBaseModel):
    """A CP-SAT model: `cp_model.CpModel`'s methods that placement calls, the same binding calls."""

    if TYPE_CHECKING:  # the binding's methods `cp_model` calls, which the binding's stubs leave out

        def _add_bounded_linear_expression(self, ct: BoundedLinearExpression) -> Constraint: ...
        def _add_bool_argument_constraint(self, name: cmh.BoolArgumentConstraint, *args: object) -> Constraint: ...
        def _add_linear_argument_constraint(
            self, name: cmh.LinearArgumentConstraint, target: LinearExpr, *args: object
        ) -> Constraint: ...

    def __init__(self) -> None:
        cmh.CpBaseModel.__init__(self, None)

    def new_bool_var(self, name: str) -> IntVar:
        return IntVar(self.model_proto).with_name(name).with_domain(Domain(0, 1))

    def new_int_var(self, lb: int, ub: int, name: str) -> IntVar:
        return IntVar(self.model_proto).with_name(name).with_domain(Domain(lb, ub))

    def add(self, ct: BoundedLinearExpression | bool) -> Constraint:
        """A linear constraint; a comparison Python settled already (every term a constant) is a
        clause that holds (True) or one that cannot (False), as `cp_model` adds it."""
        if isinstance(ct, BoundedLinearExpression):
            return self._add_bounded_linear_expression(ct)
        if self.is_boolean_value(ct):
            return self._add_bool_argument_constraint(cmh.BoolArgumentConstraint.bool_or, [True] if ct else [])
        raise TypeError(f"not a linear constraint: {type(ct).__name__!r}")

    def add_exactly_one(self, literals: Iterable[Literal]) -> Constraint:
        return self._add_bool_argument_constraint(cmh.BoolArgumentConstraint.exactly_one, literals)

    def add_at_most_one(self, literals: Iterable[Literal]) -> Constraint:
        return self._add_bool_argument_constraint(cmh.BoolArgumentConstraint.at_most_one, literals)

    def add_multiplication_equality(self, target: LinearExpr, expressions: list[LinearExpr]) -> Constraint:
        return self._add_linear_argument_constraint(cmh.LinearArgumentConstraint.prod, target, expressions)

    def minimize(self, objective: LinearExpr | int) -> None:
        """An integer objective, minimized (placement's costs are whole: no floating objective)."""
        self.clear_objective()
        proto = self.model_proto.objective
        if isinstance(objective, int):
            proto.offset = objective
            proto.scaling_factor = 1.0
            return
        if not objective.is_integer():
            raise TypeError("placement's objective is whole")
        flat = cmh.FlatIntExpr(objective)
        for var in flat.vars:
            proto.vars.append(var.index)
        proto.scaling_factor = 1.0
        proto.offset = flat.offset
        proto.coeffs.extend(flat.coeffs)

    def clear_objective(self) -> None:
        self.model_proto.clear_objective()
        self.model_proto.clear_floating_point_objective()

    def add_assumptions(self, literals: Iterable[Literal]) -> None:
        for literal in literals:
            self.model_proto.assumptions.append(self.get_or_make_boolean_index(literal))

    def clear_assumptions(self) -> None:
        self.model_proto.assumptions.clear()


class CpSolver:
    """`cp_model.CpSolver` without callbacks: its parameters, a solve, the solution's literals."""

    def __init__(self) -> None:
        self.parameters = cmh.SatParameters()
        self._response: cmh.CpSolverResponse | None = None

    def solve(self, model: CpModel) -> Status:
        wrapper = cmh.SolveWrapper()
        wrapper.set_parameters(self.parameters)
        self._response = wrapper.solve(model.model_proto)
        return self._response.status

    def boolean_value(self, literal: Literal) -> bool:
        if self._response is None:
            raise RuntimeError("solve() has not been called")
        return cmh.ResponseHelper.boolean_value(self._response, literal)
