"""The offer: power of the modules chosen, the roof in words, yield and payback from the audit."""

import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from obieg.solutions.pv_installation import estimates
from tests.solutions.pv_installation.helpers import case_of, new_project, to_offer

# 14 modules of 440 Wp, the helpers' lines: 20,640 zł net, 22,291.20 zł gross at 8 %.
MODULES = {"panel_count": "14", "panel_wp": "440"}


def pdf_text(document) -> str:
    content = document.versions.order_by("-number").first().file.read()
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True
    )
    return " ".join(result.stdout.decode().replace("\u00a0", " ").split())


@pytest.fixture
def offered(org):
    return to_offer(org, new_project(org), **MODULES)


def test_the_title_gives_the_power_of_the_modules_chosen(offered):
    assert offered.offer.title == "Instalacja fotowoltaiczna 6,16 kWp"  # not the audit's 6.5
    assert Decimal(case_of(offered).data["power_kwp"]) == Decimal("6.16")
    text = pdf_text(offered.offer_document)
    assert "Instalacja fotowoltaiczna 6,16 kWp" in text
    assert "14 × JA Solar JAM54S30 450 (440 Wp) = 6,16 kWp" in text


def test_the_roof_is_described_in_words_not_codes(offered):
    text = pdf_text(offered.offer_document)
    assert "dwuspadowy, pokrycie: dachówka ceramiczna" in text
    assert "gable" not in text and "tile" not in text


def test_the_offer_estimates_yield_savings_and_payback(offered):
    text = pdf_text(offered.offer_document)
    assert "Roczna produkcja energii ok. 6 160 kWh (94,8% rocznego zużycia)" in text
    assert "Roczna oszczędność ok. 6 160,00 zł" in text
    assert "Prosty okres zwrotu ok. 3,6 roku" in text  # 22,291.20 / 6,160
    assert "Razem brutto 22 291,20 zł" in text
    data = case_of(offered).data
    assert Decimal(data["annual_yield_kwh"]) == 6160
    assert Decimal(data["payback_years"]) == Decimal("3.6")


def test_the_estimate_is_exact_and_follows_the_settings(settings):
    settings.PV_SPECIFIC_YIELD_KWH_PER_KWP = 950
    settings.PV_ELECTRICITY_PRICE = "1.23"
    result = estimates.estimate(
        power=estimates.power_kwp(14, 440), gross=Decimal("22291.20"), annual_consumption_kwh=6500
    )
    assert result.annual_yield_kwh == Decimal("5852.000")
    assert result.annual_savings == Decimal("7197.96000")
    assert result.payback_years == Decimal("22291.20") / Decimal("7197.96")
    assert result.consumption_share == Decimal("5852") / Decimal("6500")


def test_without_any_saving_there_is_no_payback(settings):
    settings.PV_ELECTRICITY_PRICE = "0"
    assert estimates.estimate(power=Decimal(5), gross=Decimal(1)).payback_years is None


def test_the_project_page_shows_the_audit_in_words_and_the_estimate(client, org, offered):
    client.force_login(org.sara)
    page = client.get(
        reverse("pv:project", args=[offered.pk]), HTTP_ACCEPT_LANGUAGE="pl"
    ).content.decode()
    site = page[page.index('id="pv-site"') :]
    assert "dwuspadowy" in site and "dachówka ceramiczna" in site and "gable" not in site
    assert "6,16\u00a0kWp" in site and "6\u00a0160 kWh" in site


def _settings_with(**environment) -> subprocess.CompletedProcess:
    import os
    import sys

    code = (
        "import obieg.settings as s; print(s.PV_SPECIFIC_YIELD_KWH_PER_KWP, s.PV_ELECTRICITY_PRICE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_estimate_settings_come_from_the_environment():
    assert _settings_with().stdout.split() == ["1000", "1.00"]
    chosen = _settings_with(PV_SPECIFIC_YIELD_KWH_PER_KWP="950", PV_ELECTRICITY_PRICE="1.23")
    assert chosen.stdout.split() == ["950", "1.23"]
    refused = _settings_with(PV_ELECTRICITY_PRICE="1,23 zł")
    assert refused.returncode != 0 and "PV_ELECTRICITY_PRICE must be a number" in refused.stderr
