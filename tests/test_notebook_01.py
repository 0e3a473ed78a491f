"""Notebook 01 runs top to bottom under papermill, and the numbers it records agree with
counts taken independently: the csv module on the raw exports, and plain loops over rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from roi_helpers import relevance as R
from roi_helpers.privacy import find_emails, pseudonym

pytestmark = pytest.mark.slow

SENIOR = ("Director", "VP", "CXO", "Partner", "Owner")


def _raw_rows(path: Path) -> list[dict[str, str]]:
    """A Connections.csv's data rows, read with the csv module (notes lines skipped; the
    sample's older export holds bytes that are not UTF-8, as real old exports do)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        rows = list(csv.reader(fh))
    start = next(i for i, r in enumerate(rows) if r[:2] == ["First Name", "Last Name"])
    return [dict(zip(rows[start], r, strict=True)) for r in rows[start + 1 :] if r]


def _outputs(nb) -> tuple[str, int]:
    text, images = [], 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", out
            text.append(out.get("text", ""))
            for kind, value in out.get("data", {}).items():
                if kind == "image/png":
                    images += 1
                elif kind.startswith("text/"):
                    text.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(text), images


def _html_tables(nb) -> list[str]:
    """Every HTML output that holds a table (frames and Stylers)."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html", "")
            html = html if isinstance(html, str) else "".join(html)
            if "<table" in html:
                found.append(html)
    return found


def _team_csv(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["member"]: r for r in csv.DictReader(fh)}


def test_on_the_sample_team(run_notebook, sample):
    nb, numbers = run_notebook("01_audience_relevance", sample)
    exports = sorted((sample / "linkedin").glob("*/Connections.csv"))
    per_member = {p.parent.name: len(_raw_rows(p)) for p in exports}
    assert numbers["members"] == len(exports) == 6
    assert numbers["connections"] == sum(per_member.values())
    # members are shown as pseudonyms: the same ones hide_people gives
    codes = dict(zip(per_member, pseudonym(pd.Series(list(per_member))), strict=True))
    expected = {codes[m]: n for m, n in per_member.items()} | {R.TEAM: sum(per_member.values())}
    assert numbers["connections_per_member"] == expected
    with open(sample / "crm_accounts.csv", encoding="utf-8", newline="") as fh:
        crm = list(csv.DictReader(fh))
    assert numbers["crm"] is True and numbers["problems"] == 0
    assert numbers["target_accounts"] == sum(r["status"] in ("client", "prospect") for r in crm)

    # each member's own function and company: the team table's, read with the csv module
    team = _team_csv(sample / "team.csv")
    assert set(team) == set(per_member)
    assert numbers["owner_function_sources"] == {"team table": 6}
    assert numbers["owner_company_sources"] == {"team table": 6}
    # colleagues: every raw row at the team's company, "Quillmoor" (+ "Software", "B.V.")
    ours = {r["company"] for r in team.values()}
    assert ours == {"Quillmoor Software B.V."}
    internal = sum(
        r["Company"].strip().lower().startswith("quillmoor") for p in exports for r in _raw_rows(p)
    )
    assert numbers["internal"] == internal == 62

    # the shares, recomputed by a loop over the rows the package labelled; peers and the
    # E-I index against each member's function as team.csv gives it
    net = R.load_network(sample)
    rel = R.add_relationship(net.audience, net.accounts, team=net.team)
    targets = {"Finance", "Accounting", "Purchasing"}
    ok = ("Manager", *SENIOR)
    buyers = peers = dms = same = other = colleagues = 0
    for r in rel.itertuples():
        rel_ = str(r.relationship)
        fn = str(r.function)
        own = team[r.account]["function"]
        persona = fn in targets and str(r.seniority) in ok
        buyers += rel_ in ("client", "prospect") or (
            persona and rel_ not in ("internal", "partner", "competitor")
        )
        peers += rel_ == "peer"
        colleagues += rel_ == "internal"
        dms += str(r.seniority) in SENIOR
        if fn != "Unknown":
            same += fn == own
            other += fn != own
    n = len(rel)
    assert colleagues == internal
    assert numbers["buyer_share"] == pytest.approx(buyers / n)
    assert numbers["peer_share"] == pytest.approx(peers / n)
    assert numbers["decision_maker_share"] == pytest.approx(dms / n)
    assert numbers["ei_index"] == pytest.approx((other - same) / (other + same))
    assert numbers["baseline"] == "target accounts"
    # the sample's story: a network of peers, with buyers a minority
    assert numbers["peer_share"] > 0.4 > numbers["buyer_share"] > 0.05
    assert numbers["inbreeding_homophily"] > 0.3 and numbers["ei_index"] < 0
    # what the report's index shows: a sentence and 3 to 5 formatted numbers
    gaps = numbers["target_accounts_without_decision_maker"]
    assert numbers["headline"] == (
        f"The team's {n:,} connections are {buyers / n:.0%} buyers and {peers / n:.0%} peers, "
        f"{peers / buyers:.1f} peers for every buyer; {gaps} of "
        f"{numbers['target_accounts']} target accounts have no decision-maker the team knows."
    )
    assert 3 <= len(numbers["highlights"]) <= 5
    assert numbers["highlights"]["Buyers"] == f"{buyers / n:.1%}"
    assert numbers["highlights"]["Peers"] == f"{peers / n:.1%}"
    assert numbers["highlights"]["Target accounts without a decision-maker"] == (
        f"{gaps} of {numbers['target_accounts']}"
    )

    text, images = _outputs(nb)
    assert images >= 5  # mix, E-I, heatmap, coverage, trend: each drawn
    assert find_emails(text) == []  # no email anywhere in what the notebook shows
    for member in per_member:
        assert member not in text, member
    for name in (r["name"] for r in team.values()):
        assert name not in text, name
    assert "What would help most" in "".join(c.source for c in nb.cells)
    assert numbers["headline"] in text  # said on the page too
    assert "from the team table, for every member" in text
    # every table a reader sees: no 0, 1, 2... index column, nothing cut with "..."
    tables = _html_tables(nb)
    assert len(tables) >= 6  # files, owners, titles, summary, actions, unmatched, cleaning
    for html in tables:
        assert 'class="dataframe"' not in html  # a raw frame, not tables.show
        assert 'class="row_heading' not in html
        assert "**" not in html
    # the owner's own company is not "missing from the CRM"
    unmatched = next(t for t in tables if "candidate_score" in t)
    assert "Quillmoor" not in unmatched
    # the cleaning report: the connections exports, the CRM and the team table only
    cleaning = next(t for t in tables if "rows read from" in t)
    raw_count = sum(per_member.values()) + len(crm) + len(team)
    assert f"{raw_count:,} rows read from {len(exports) + 2} files" in cleaning
    out_dir = Path(nb.metadata.papermill.parameters["output_dir"])
    with open(out_dir / "01_audience_relevance.cleaning.csv", encoding="utf-8", newline="") as fh:
        files = {r["file"] for r in csv.DictReader(fh)}
    assert files and all(f.endswith("Connections.csv") or f == "crm_accounts.csv" for f in files)


def test_on_the_real_export_without_crm_and_with_a_broken_export(run_notebook, shared, tmp_path):
    real = shared / "linkedin_connections" / "Connections.csv"
    (tmp_path / "me").mkdir()
    (tmp_path / "me" / "Connections.csv").symlink_to(real)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "Connections.csv").write_text(
        'First Name,Last Name,URL,Email Address,Company,Position,Connected On\nA,B,,,"Acme, In'
    )
    nb, numbers = run_notebook(
        "01_audience_relevance",
        tmp_path,
        owner_company="",
        owner_function="Engineering",
        target_functions=["Finance", "Purchasing"],
        min_seniority="Director",
    )
    rows = _raw_rows(real)
    assert numbers["connections"] == len(rows) == 456
    assert numbers["members"] == 1
    assert numbers["crm"] is False and numbers["target_accounts"] is None
    assert numbers["problems"] == 2  # the broken export, and no CRM
    titles = pd.Series([r["Position"].strip() or None for r in rows])
    cls = R.classify_titles(titles).astype(str)
    dms = sum(s in SENIOR for s in cls["seniority"])
    assert numbers["decision_maker_share"] == pytest.approx(dms / 456)
    # without a CRM, buyers are target personas only: Finance or Purchasing, Director+
    personas = sum(
        f in ("Finance", "Purchasing") and s in SENIOR
        for f, s in zip(cls["function"], cls["seniority"], strict=True)
    )
    assert numbers["buyer_share"] == pytest.approx(personas / 456)
    eng = int((cls["function"] == "Engineering").sum())
    known = int((cls["function"] != "Unknown").sum())
    assert numbers["peer_share"] == pytest.approx(eng / 456)
    assert numbers["ei_index"] == pytest.approx(((known - eng) - eng) / known)
    assert numbers["baseline"] == "uniform"
    assert numbers["owner_function_sources"] == {"given": 1}
    assert numbers["owner_company_sources"] == {"unknown": 1} and numbers["internal"] is None
    assert numbers["highlights"]["Buyers"] == f"{personas / 456:.1%}"
    assert numbers["headline"].startswith(
        f"The network's 456 connections are {personas / 456:.0%} buyers and {eng / 456:.0%} peers"
    )
    text, images = _outputs(nb)
    assert find_emails(text) == []
    assert "No CRM account list" in text
    assert "could not be read" in text and "truncated" in text
    assert "broken/Connections.csv" not in text  # the folder is a person: pseudonymised
    assert "**Company unknown** for the owner" in text
    assert images >= 4


def test_a_folder_without_connections_is_no_data(run_notebook, shared, tmp_path):
    x = sorted((shared / "x_tweet_activity").glob("*.csv"))[0]
    (tmp_path / x.name).symlink_to(x)
    nb, numbers = run_notebook("01_audience_relevance", tmp_path)
    reason = "this folder holds no LinkedIn connections export (Connections.csv)"
    assert numbers == {"no_data": reason}  # no shares of nothing
    text, images = _outputs(nb)
    assert f"Nothing to analyse: {reason}." in text
    assert images == 0  # no empty charts
    assert "No connections export, CRM or team table was read." in text
