"""Polish names, places and company-name parts for realistic demo records."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from obieg.core.identifiers import Voivodeship as V

MALE_FIRST = (
    "Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin",
    "Grzegorz", "Józef", "Łukasz", "Adam", "Wojciech", "Mariusz", "Zbigniew", "Jakub",
    "Kamil", "Marek", "Rafał", "Dariusz", "Sebastian", "Bartosz", "Mateusz", "Robert",
)  # fmt: skip
FEMALE_FIRST = (
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna",
    "Elżbieta", "Magdalena", "Joanna", "Zofia", "Aleksandra", "Monika", "Teresa", "Danuta",
    "Natalia", "Karolina", "Marta", "Beata", "Dorota", "Julia", "Justyna", "Paulina",
)  # fmt: skip
# (male form, female form): adjective surnames change with gender.
SURNAMES = (
    ("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"), ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"), ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"), ("Mazur", "Mazur"), ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"), ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"),
    ("Nowakowski", "Nowakowska"), ("Pawłowski", "Pawłowska"), ("Michalski", "Michalska"),
    ("Król", "Król"), ("Wieczorek", "Wieczorek"), ("Jabłoński", "Jabłońska"),
    ("Wróbel", "Wróbel"), ("Nowicki", "Nowicka"), ("Majewski", "Majewska"),
    ("Olszewski", "Olszewska"), ("Stępień", "Stępień"), ("Malinowski", "Malinowska"),
    ("Jaworski", "Jaworska"), ("Adamczyk", "Adamczyk"), ("Dudek", "Dudek"),
    ("Nowacki", "Nowacka"), ("Pietrzak", "Pietrzak"), ("Wawrzyniak", "Wawrzyniak"),
)  # fmt: skip


@dataclass(frozen=True)
class City:
    name: str
    postal_prefix: str  # the "NN-" part; the rest is drawn per address
    voivodeship: str
    latitude: Decimal
    longitude: Decimal


def _city(name, prefix, voivodeship, lat, lon) -> City:
    return City(name, prefix, voivodeship, Decimal(lat), Decimal(lon))


CITIES = (
    _city("Warszawa", "00", V.MAZOWIECKIE, "52.229676", "21.012229"),
    _city("Kraków", "30", V.MALOPOLSKIE, "50.064650", "19.944980"),
    _city("Łódź", "90", V.LODZKIE, "51.759445", "19.457216"),
    _city("Wrocław", "50", V.DOLNOSLASKIE, "51.107883", "17.038538"),
    _city("Poznań", "60", V.WIELKOPOLSKIE, "52.406374", "16.925168"),
    _city("Gdańsk", "80", V.POMORSKIE, "54.352025", "18.646638"),
    _city("Szczecin", "70", V.ZACHODNIOPOMORSKIE, "53.428544", "14.552812"),
    _city("Bydgoszcz", "85", V.KUJAWSKO_POMORSKIE, "53.123480", "18.008438"),
    _city("Lublin", "20", V.LUBELSKIE, "51.246454", "22.568446"),
    _city("Białystok", "15", V.PODLASKIE, "53.132489", "23.168840"),
    _city("Katowice", "40", V.SLASKIE, "50.264892", "19.023782"),
    _city("Rzeszów", "35", V.PODKARPACKIE, "50.041187", "21.999121"),
    _city("Kielce", "25", V.SWIETOKRZYSKIE, "50.866077", "20.628569"),
    _city("Olsztyn", "10", V.WARMINSKO_MAZURSKIE, "53.778422", "20.480119"),
    _city("Opole", "45", V.OPOLSKIE, "50.675107", "17.921298"),
    _city("Zielona Góra", "65", V.LUBUSKIE, "51.935621", "15.506186"),
    _city("Toruń", "87", V.KUJAWSKO_POMORSKIE, "53.013790", "18.598444"),
    _city("Tarnów", "33", V.MALOPOLSKIE, "50.012100", "20.985842"),
    _city("Radom", "26", V.MAZOWIECKIE, "51.402724", "21.147133"),
    _city("Gliwice", "44", V.SLASKIE, "50.294492", "18.671380"),
    _city("Nowy Sącz", "33", V.MALOPOLSKIE, "49.621780", "20.697070"),
    _city("Płock", "09", V.MAZOWIECKIE, "52.546345", "19.706536"),
    _city("Legnica", "59", V.DOLNOSLASKIE, "51.207007", "16.155323"),
    _city("Zamość", "22", V.LUBELSKIE, "50.723089", "23.251970"),
)

STREETS = (
    "ul. Mickiewicza", "ul. Słowackiego", "ul. Kościuszki", "ul. Polna", "ul. Leśna",
    "ul. Ogrodowa", "ul. Lipowa", "ul. Kwiatowa", "ul. Szkolna", "ul. Długa",
    "ul. Krótka", "ul. Piłsudskiego", "ul. Sienkiewicza", "ul. Kolejowa", "ul. Przemysłowa",
    "al. Jana Pawła II", "ul. Jagiellońska", "ul. Słoneczna", "ul. Wiejska", "ul. Fabryczna",
)  # fmt: skip

# Company names: "<stem> <trade> <legal form>"; stems include surnames.
COMPANY_STEMS = (
    "Solar", "Eko", "Termo", "Bud", "Inter", "Poli", "Agro", "Euro", "Meta", "Trans",
    "Tech", "Max", "Nova", "Prima", "Delta", "Vita", "Alfa", "Omega", "Astra", "Lux",
)  # fmt: skip
COMPANY_SUFFIXES = ("pol", "bud", "tex", "met", "kom", "san", "med", "rol", "dom", "tech")
TRADES = (
    "Budownictwo", "Energia", "Instalacje", "Serwis", "Logistyka", "Handel", "Meble",
    "Ogrodnictwo", "Piekarnia", "Transport", "Elektro", "Usługi Rolnicze", "Hotel",
    "Przetwórstwo", "Drukarnia", "Stolarstwo", "Mleczarnia", "Warsztat", "Klinika",
    "Biuro Rachunkowe",
)  # fmt: skip
LEGAL_FORMS = ("Sp. z o.o.", "S.A.", "Sp. j.", "Sp.k.", "s.c.", "")
POSITIONS = (
    "Prezes zarządu", "Właściciel", "Dyrektor finansowy", "Kierownik zakupów",
    "Kierownik techniczny", "Główna księgowa", "Specjalista ds. energii", "Asystentka zarządu",
)  # fmt: skip


def person_name(rng: random.Random) -> tuple[str, str]:
    """(first, last) with the surname in the matching gender form."""
    female = rng.random() < 0.5
    first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
    last = rng.choice(SURNAMES)[1 if female else 0]
    return first, last


def company_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        stem = rng.choice(COMPANY_STEMS) + rng.choice(COMPANY_SUFFIXES)
        name = f"{stem} {rng.choice(TRADES)}"
    elif roll < 0.7:
        name = f"{rng.choice(TRADES)} {rng.choice(SURNAMES)[0]}"
    elif roll < 0.85:
        first, second = rng.sample(SURNAMES, 2)
        name = f"{first[0]} i {second[0]}"
    else:
        name = f"PHU {rng.choice(SURNAMES)[0]}"
    form = rng.choice(LEGAL_FORMS)
    return f"{name} {form}".strip()


def address(rng: random.Random) -> dict:
    """Street, postal code, city, voivodeship and coordinates near the city."""
    city = rng.choice(CITIES)
    jitter = Decimal(rng.randint(-20_000, 20_000)) / Decimal(1_000_000)
    return {
        "street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        "postal_code": f"{city.postal_prefix}-{rng.randint(1, 999):03d}",
        "city": city.name,
        "voivodeship": city.voivodeship,
        "latitude": city.latitude + jitter,
        "longitude": city.longitude - jitter,
    }


def phone(rng: random.Random) -> str:
    return f"+48 {rng.randint(500, 799)} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"


def domain(company: str) -> str:
    """An e-mail/web domain from a company name ("Eko Dom Sp. z o.o." → "eko-dom.pl")."""
    stem = company
    for form in LEGAL_FORMS:
        if form and stem.endswith(form):
            stem = stem[: -len(form)]
    words = ascii_slug(stem).replace(".", " ").replace("-", " ").split()
    return "-".join(words)[:40].strip("-") + ".pl" if words else "firma.pl"


def ascii_slug(text: str) -> str:
    """Lower-case ASCII for e-mail addresses ("Łukasz Wójcik" → "lukasz.wojcik")."""
    table = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
    cleaned = "".join(ch for ch in text.translate(table).lower() if ch.isalnum() or ch in " .-")
    return ".".join(cleaned.split())
