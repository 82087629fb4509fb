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
    "windows": "tidsgränser", "tiers_1_6": "tidsgränser och toppveckor",
    "peak": "toppvecka", "spread": "jämnhet", "closeness": "rätt datum", "moved": "få flyttar",
    "klar": "klar",
}

# The figures that compare two plans (a fix, a re-plan), in the words nurses use.
FIGURES = {
    "unplaced": "Patienter utan datum",
    "broken": "ÅMV utanför tidsgränsen",
    "late_overdue": "Sena ÅMV för patienter som redan var försenade",
    "days_late": "Dagar för sent totalt",
}
DOCTOR_HOURS = "Läkartimmar per vecka"
DOCTOR_TIME_PER_10 = "Läkartid/10 pat."  # hours per week per 10 patients (the agreement)
IN_TIME = "Inom tidsgränsen"


def plan_quality(status: str) -> str:
    """OPTIMAL → "Bästa möjliga plan" …"""
    return QUALITY.get(status, "Plan")


def rule_name(rule: str) -> str:
    """R7 → "Ny patient inom 28 dagar"; "Ej placerad" stays."""
    return RULES.get(rule, rule)


def stage_name(stage: str) -> str:
    return STAGES.get(stage, "beräknar")


def peak_note(peak: int, bound: int, status: str) -> str:
    """Why a doctor's busiest week holds more ÅMV than the lowest possible, or "".

    The lowest possible (``peak_week_bound``) only divides the doctor's patients over the weeks
    that can hold an ÅMV; the plan puts every patient's time limit first, so with a proven best
    plan a higher peak means the rounds and time limits leave no evener plan."""
    if peak <= bound:
        return ""
    if status == "OPTIMAL":
        return (f"toppen {peak} mot lägsta möjliga {bound}: rondtillfällena och patienternas "
                "tidsgränser räcker inte för jämnare")
    return f"toppen {peak} mot lägsta möjliga {bound}: kanske går det jämnare"
