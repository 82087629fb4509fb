"""Plain Swedish for people: how the planner's statuses, rule ids and stages are shown in the
window and on paper (rule ids and solver words stay in the command line and the JSON)."""

from __future__ import annotations

QUALITY = {
    "OPTIMAL": "Bästa möjliga plan",
    "FEASIBLE": "Bra plan, inte bevisat bäst",
    "STOPPED": "Avbruten – bästa plan hittills",
    "MANUELL": "Registrerad för hand",
    "EMPTY": "Inget att planera",
    "HEURISTIC": "Enkel plan",
}
RULES = {
    "R1": "En ÅMV per patient",
    "R2": "Bara arbetsdagar",
    "R3": "Inte under semesterveckor eller spärrade perioder",
    "R4": "Läkaren på plats",
    "R5": "Rondtillfälle med plats",
    "R6": "Läkarens ÅMV-tider",
    "R7": "Ny patient inom 28 dagar",
    "R8": "6–12 månader sedan senaste ÅMV",
    "R9": "Jämn fördelning",
    "R10": "Låsta och genomförda ligger kvar",
    "R11": "Förberedelsedatum",
}
UNPLACED_RULE = RULES["R1"]  # the rule an unplaced patient breaks
STAGES = {
    "windows": "tidsfönster", "tiers_1_6": "tidsfönster och toppveckor",
    "peak": "toppvecka", "spread": "jämnhet", "closeness": "rätt datum", "moved": "få flyttar",
    "klar": "klar",
}


def plan_quality(status: str) -> str:
    """OPTIMAL → "Bästa möjliga plan" …"""
    return QUALITY.get(status, "Plan")


def rule_name(rule: str) -> str:
    """R7 → "Ny patient inom 28 dagar"; "Ej placerad" stays."""
    return RULES.get(rule, rule)


def stage_name(stage: str) -> str:
    return STAGES.get(stage, "beräknar")
