"""The preparation steps of an ÅMV as data (R11; issue 14.2, issue 18.3): a step's name,
how many days before the ÅMV it is due, the role that does it and whether it is the step
that invites relatives. The default list follows Lidköping's agreement
(``shared/seeds/004``, "Förberedelser ca två veckor innan hembesöket"), quoted in
docs/domain.md. Pure Python: no store, no Qt; the services (the year's stored list) and the
printouts (the preparation list) both read it from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lakarrond.matter import Role, parse_role

NO_ROLE = "–"  # how a step without a role (a list stored before issue 18) is shown
ROLE_SHORT: dict[Role, str] = {  # the printed preparation list's column heads
    Role.DOCTOR: "Läk",
    Role.NURSE: "Ssk",
    Role.OCCUPATIONAL: "AT",
    Role.PHYSIO: "FT",
    Role.CARE_STAFF: "Omv",
    Role.COORDINATOR: "Saml",
}


@dataclass(frozen=True)
class PreparationStep:
    """One step of the checklist: a Swedish name, how many days before the ÅMV it is due,
    the role that does it (None: not said, an older stored list) and whether it invites
    relatives (then it is left out for a patient with "Bjud inte in närstående")."""

    name: str
    days_before: int
    role: Role | None = None
    relatives: bool = False

    @property
    def role_text(self) -> str:
        return role_text(self.role)


def role_text(role: Role | None) -> str:
    """"Sjuksköterska", or "–" without a role."""
    return role.value if role is not None else NO_ROLE


def role_short(role: Role | None) -> str:
    """"Ssk", or "–" without a role (the printed list's column heads)."""
    return ROLE_SHORT[role] if role is not None else NO_ROLE


# Lidköping: "Förberedelser ca två veckor innan hembesöket": the basis and the invitations two
# weeks before, the doctor's lab order after the basis, the tests, ratings and risk
# assessments a week before (the answers are there at the visit), the change in health
# the last working days before.
DEFAULT_STEPS: tuple[PreparationStep, ...] = (
    PreparationStep("Planeringsunderlag till läkaren", 14, Role.NURSE),
    PreparationStep("Informera patienten", 14, Role.NURSE),
    PreparationStep("Bjud in närstående", 14, Role.NURSE, relatives=True),
    PreparationStep("Läkaren ordinerar provtagning", 12, Role.DOCTOR),
    PreparationStep("Provtagning", 7, Role.NURSE),
    PreparationStep("Symtomskattning (PHASE-20)", 7, Role.NURSE),
    PreparationStep("Riskbedömning sjuksköterska", 7, Role.NURSE),
    PreparationStep("Riskbedömning arbetsterapeut", 7, Role.OCCUPATIONAL),
    PreparationStep("Riskbedömning fysioterapeut", 7, Role.PHYSIO),
    PreparationStep("Riskbedömning omvårdnadspersonal", 7, Role.CARE_STAFF),
    PreparationStep("Förändring i hälsotillståndet meddelad läkaren", 2, Role.NURSE),
)


def for_patient(steps: Sequence[PreparationStep],
                no_relatives: bool) -> list[PreparationStep]:
    """The steps of one patient's checklist: without the relatives' step when the patient
    does not want relatives invited ("Bjud inte in närstående")."""
    return [s for s in steps if not (no_relatives and s.relatives)]


# --- the stored form (setting ``preparation_steps``) ---------------------------------------

def to_stored(steps: Iterable[PreparationStep]) -> list[list[object]]:
    """``[["Provtagning", 7, "Sjuksköterska", false], …]`` (role "" without one)."""
    return [[s.name, s.days_before, s.role.value if s.role else "", s.relatives]
            for s in steps]


def from_stored(stored: Iterable[Sequence[object]]) -> list[PreparationStep]:
    """The steps of a stored list; a list stored before issue 18 (``[name, days]``) reads
    with no role and no relatives' step."""
    out = []
    for entry in stored:
        name, days = str(entry[0]), int(str(entry[1]))
        role = parse_role(str(entry[2])) if len(entry) > 2 and entry[2] else None
        relatives = bool(entry[3]) if len(entry) > 3 else False
        out.append(PreparationStep(name, days, role, relatives))
    return out
