"""The import template's sheets and columns (contracts.md §1), shared by template and import."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from solver.problem import PatientStatus, RhythmKind, RoundForm, UnitType, WeekParity


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    INT = "int"
    TIME = "time"
    WEEKDAYS = "weekdays"
    CHOICE = "choice"
    PERSONNUMMER = "personnummer"


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    kind: Kind
    description: str
    example: object = ""
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    width: int | None = None


@dataclass(frozen=True)
class Sheet:
    name: str
    required: bool
    columns: tuple[Column, ...]
    description: str

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)


YES_NO = ("Ja", "Nej")


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


DOCTORS = Sheet(
    "Läkare",
    True,
    (
        Column("Namn", True, Kind.TEXT, "Läkarens namn (fast läkarkontakt). Unikt.", "Anna Berg"),
        Column("Vårdcentral", True, Kind.TEXT, "Vårdcentralen där läkaren arbetar.",
               "Vårdcentralen Centrum"),
        Column("ÅMV-dagar", False, Kind.WEEKDAYS,
               "Veckodagar med separata ÅMV-tider (för telefonrond och LSS), t.ex. "
               "'onsdag' eller 'tis, tor'.", "onsdag"),
        Column("ÅMV per dag", False, Kind.INT,
               "Högst antal ÅMV på en separat ÅMV-dag, över alla enheter. Heltal ≥ 1, "
               "standard 2.", 2, minimum=1),
    ),
    "En rad per läkare.",
)

ABSENCES = Sheet(
    "Frånvaro",
    False,
    (
        Column("Läkare", True, Kind.TEXT, "Läkarens namn, som på bladet Läkare.", "Anna Berg"),
        Column("Från", True, Kind.DATE, "Första frånvarodagen (ÅÅÅÅ-MM-DD).", "2027-07-05"),
        Column("Till", True, Kind.DATE, "Sista frånvarodagen, samma dag eller senare än Från.",
               "2027-08-06"),
        Column("Orsak", False, Kind.TEXT, "Fritext, t.ex. semester eller kurs.", "semester"),
        Column("Vikarie", False, Kind.TEXT, "Vikariens namn (visas i rondschemat).",
               "Per Holm"),
        Column("Telefon", False, Kind.TEXT, "Vikariens telefonnummer: siffror, mellanslag, "
               "+ och -. Skrivs ut med vikarien på rondschema, veckolista och "
               "planeringsunderlag.", "070-123 45 67"),
    ),
    "Planerad frånvaro. Inga ÅMV planeras när läkaren är borta.",
)

UNITS = Sheet(
    "Enheter",
    True,
    (
        Column("Enhet", True, Kind.TEXT, "Enhetens namn. Unikt.", "Bäckliden"),
        Column("Typ", True, Kind.CHOICE, "Typ av enhet.", UnitType.NURSING_HOME.value,
               _values(UnitType)),
        Column("Läkare", True, Kind.TEXT, "Enhetens läkare, som på bladet Läkare.", "Anna Berg"),
        Column("Sjuksköterska", False, Kind.TEXT, "Sjuksköterska/fast vårdkontakt.", "Eva Lund"),
        Column("Rytm", True, Kind.CHOICE, "Hur ofta ronden går.", RhythmKind.WEEKLY.value,
               _values(RhythmKind)),
        Column("Veckor", False, Kind.CHOICE,
               "Krävs för Varannan vecka: udda eller jämna ISO-veckor.", "",
               _values(WeekParity)),
        Column("Veckodagar", True, Kind.WEEKDAYS,
               "Rondens veckodag (två för Två gånger i veckan): måndag…fredag eller mån, "
               "tis, ons, tor, fre, kommaseparerade.", "tisdag"),
        Column("Starttid", False, Kind.TIME, "Rondens starttid TT:MM, standard 09:00.", "09:00"),
        Column("Längd (min)", False, Kind.INT, "Rondens längd i minuter, standard 120.", 120,
               minimum=1),
        Column("Rondform", False, Kind.CHOICE, "Fysisk (standard) eller Telefon.",
               RoundForm.PHYSICAL.value, _values(RoundForm)),
        Column("ÅMV i rond", False, Kind.CHOICE,
               "Ja (standard för fysisk rond) om ÅMV görs i ronden, Nej om ÅMV bokas på "
               "separata tider (t.ex. LSS).", "Ja", YES_NO),
        Column("ÅMV per rond", False, Kind.INT, "Högst antal ÅMV per rondtillfälle, "
               "heltal ≥ 0, standard 1.", 1, minimum=0),
        Column("Minuter per ÅMV", False, Kind.INT, "Hur lång tid en ÅMV tar i ronden, "
               "5–240 minuter, standard 30. ÅMV per rond × Minuter per ÅMV + Övrig tid "
               "ska rymmas i Längd (min).", 30, minimum=5),
        Column("Övrig tid (min)", False, Kind.INT, "Minuter i varje rond som hålls fria för "
               "annat än ÅMV (hembesök, avstämning), heltal ≥ 0, standard 0.", 0, minimum=0),
    ),
    "En rad per enhet (boende, hemvårdsområde, LSS-boende).",
)

PATIENTS = Sheet(
    "Patienter",
    True,
    (
        Column("Namn", True, Kind.TEXT, "Patientens namn.", "Karl Nilsson"),
        Column("Personnummer", False, Kind.PERSONNUMMER,
               "ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN (även utan bindestreck, och "
               "samordningsnummer). Kontrollsiffran kontrolleras. Unikt.", "19121212-1212",
               width=16),
        Column("Enhet", True, Kind.TEXT, "Enheten, som på bladet Enheter.", "Bäckliden"),
        Column("Rum", False, Kind.TEXT, "Rum eller adress.", "12"),
        Column("Inskriven", True, Kind.DATE, "Datum för inflyttning/inskrivning.", "2024-03-01"),
        Column("Senaste ÅMV", False, Kind.DATE, "Datum för senaste årliga medicinska "
               "vårdplanering. Tomt = ingen gjord.", "2026-02-10"),
        Column("Status", False, Kind.CHOICE, "Aktiv (standard), Utskriven eller Avliden.",
               PatientStatus.ACTIVE.value, _values(PatientStatus)),
        Column("Slutdatum", False, Kind.DATE, "Krävs för Utskriven och Avliden.", ""),
        Column("Undantag", False, Kind.TEXT, "Tomt, eller orsak till att patienten inte "
               "planeras (t.ex. växelvård).", ""),
        Column("Palliativ från", False, Kind.DATE, "Datum från vilket patienten får "
               "palliativ vård i livets slutskede: ett brytpunktsamtal bokas vid nästa rond "
               "och ingen rutinmässig ÅMV planeras från det datumet. Tomt = nej.", ""),
        Column("Läkare", False, Kind.TEXT, "Patientens namngivna läkare (fast läkarkontakt), "
               "som på bladet Läkare, t.ex. när patienten behåller sin tidigare läkare. "
               "Tomt = enhetens läkare. ÅMV planeras då på den läkarens ÅMV-dagar.", ""),
        Column("Sjuksköterska", False, Kind.TEXT, "Patientens namngivna sjuksköterska "
               "(fast vårdkontakt). Tomt = enhetens sjuksköterska.", ""),
        Column("Bjud inte in närstående", False, Kind.CHOICE, "Ja = närstående bjuds inte in "
               "till ÅMV (enligt överenskommelse med patienten); förberedelsesteget som bjuder "
               "in närstående tas bort för patienten. Tomt = bjud in.", "", ("Ja",)),
    ),
    "En rad per patient.",
)

SETTINGS = Sheet(
    "Inställningar",
    False,
    (
        Column("Inställning", True, Kind.TEXT, "Inställningens namn (se nedan).", "Planår"),
        Column("Värde", False, Kind.TEXT, "Värdet. Tomt = standardvärdet.", 2027),
    ),
    "Två kolumner: Inställning och Värde.",
)

SHEETS = (DOCTORS, ABSENCES, UNITS, PATIENTS, SETTINGS)


DOCTOR_HOURS_SETTING = "Läkartid minst (timmar per vecka per 10 patienter)"


@dataclass(frozen=True)
class SettingSpec:
    name: str
    kind: str  # "int", "decimal" or "weeks"
    default: object
    minimum: int
    maximum: int
    description: str


SETTING_SPECS = (
    SettingSpec("Planår", "int", None, 2000, 2100, "Året som planeras, t.ex. 2027."),
    SettingSpec("Semesterveckor", "weeks", "27-31", 1, 53,
                "ISO-veckor utan ÅMV, t.ex. 27-31."),
    SettingSpec("Nya patienter inom (dagar)", "int", 28, 1, 365,
                "Nya patienter får ÅMV inom så många dagar efter inskrivning."),
    SettingSpec("Max intervall (månader)", "int", 12, 1, 24,
                "Längsta tid mellan två ÅMV."),
    SettingSpec("Min intervall (månader)", "int", 6, 0, 24,
                "Kortaste tid mellan två ÅMV."),
    SettingSpec("Förberedelse (dagar)", "int", 14, 0, 90,
                "Förberedelsen (prover, skattningar) startar så många dagar före ÅMV."),
    SettingSpec(DOCTOR_HOURS_SETTING, "decimal", 1.0, 0, 10,
                "Avtalets golv för läkartid: timmar per vecka per 10 patienter (ronder och "
                "separata ÅMV-tider; restid räknas inte). Under golvet markeras enheten."),
)

EXAMPLE_PREFIX = "Exempel:"
