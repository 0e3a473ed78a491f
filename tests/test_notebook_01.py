"""Notebook 01 runs top to bottom under papermill, and the numbers it records agree with
counts taken independently: the csv module on the raw exports, and plain loops over rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from roi_helpers import relevance as R
from roi_helpers.privacy import find_emails, pseudonym
from tests.conftest import notebook_outputs

pytestmark = pytest.mark.slow

SENIOR = ("Director", "VP", "CXO", "Partner", "Owner")


def _raw_rows(path: Path) -> list[dict[str, str]]:
    """A Connections.csv's data rows, read with the csv module (notes lines skipped; the
    sample's older export holds bytes that are not UTF-8, as real old exports do)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        rows = list(csv.reader(fh))
    start = next(i for i, r in enumerate(rows) if r[:2] == ["First Name", "Last Name"])
    return [dict(zip(rows[start], r, strict=True)) for r in rows[start + 1 :] if r]


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

    text, images = notebook_outputs(nb)
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
    text, images = notebook_outputs(nb)
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
    text, images = notebook_outputs(nb)
    assert f"Nothing to analyse: {reason}." in text
    assert images == 0  # no empty charts
    assert "No connections export, CRM or team table was read." in text


NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n\n'
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
LONG_TITLE = "Head of Procurement | " + "ever so keen on supplier spreadsheets " * 12


def _write_export(folder: Path, rows: list[tuple[str, ...]], extra: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    body = "".join(
        f'{f},{last},https://www.linkedin.com/in/{f.lower()}-{last.lower()},,"{c}","{t}",{d}\n'
        for f, last, c, t, d in rows
    )
    (folder / "Connections.csv").write_text(NOTES + HEADER + body + extra, encoding="utf-8")


def _troubled_team(root: Path) -> Path:
    """Two members whose exports read, two whose exports do not (an empty file and a
    Messages export under the name Connections.csv), a line with a field too many, a title
    of 400+ characters, and a CRM that gives one company two statuses. No team table: the
    owners' functions are guessed from their networks."""
    _write_export(
        root / "linkedin" / "ana-lima",
        [
            ("Jo", "Lee", "Hooli Group", "CFO", "15 Jan 2024"),
            ("Kim", "Park", "Initech", "Finance Manager", "10 Mar 2024"),
            ("Al", "Ng", "Initrode", "Account Executive", "02 Apr 2024"),
            ("Mo", "Diaz", "Vandelay", "Sales Manager", "20 May 2024"),
            ("Ed", "Ruiz", "Vandelay", "SDR", "01 Aug 2024"),
        ],
    )
    _write_export(
        root / "linkedin" / "bo-chen",
        [
            ("Sam", "Roe", "Globex", LONG_TITLE, "05 Feb 2024"),
            ("Lu", "Wong", "Initech", "Sales Director", "30 Jun 2024"),
            ("Ty", "Bell", "Umbrella", "Account Manager", "01 Jul 2024"),
        ],
        extra="Zed,Quux,https://www.linkedin.com/in/zed-quux,zed@q.example,Acme,CFO,01 Jan 2024,x\n",
    )
    (root / "linkedin" / "cy-dee").mkdir(parents=True)
    (root / "linkedin" / "cy-dee" / "Connections.csv").write_bytes(b"")
    (root / "linkedin" / "fay-ito").mkdir(parents=True)
    (root / "linkedin" / "fay-ito" / "Connections.csv").write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT\n"
        "1,,A,u,B,2024-01-01,hi,hello\n"
    )
    (root / "crm.csv").write_text(
        "company,status,aliases,domain\n"
        "Hooli,client,Hooli Group,hooli.example\n"
        "Initech,prospect,,\n"
        "Hooli,competitor,,\n"
        "Globex,prospect,,\n"
    )
    return root


def test_a_troubled_team_over_a_period(run_notebook, tmp_path):
    folder = _troubled_team(tmp_path / "team")
    nb, numbers = run_notebook(
        "01_audience_relevance", folder, start_date="2024-03-01", end_date="2024-06-30"
    )
    # the period used is recorded (the report's banner reads it), and applied: counted
    # with the csv module on the raw exports that could be read
    assert (numbers["start_date"], numbers["end_date"]) == ("2024-03-01", "2024-06-30")
    raw = [
        r
        for m in ("ana-lima", "bo-chen")
        for r in _raw_rows_lenient(folder / "linkedin" / m / "Connections.csv")
    ]
    days = [pd.Timestamp(r["Connected On"]) for r in raw]
    by_end = sum(d <= pd.Timestamp("2024-06-30") for d in days)
    within = sum(pd.Timestamp("2024-03-01") <= d <= pd.Timestamp("2024-06-30") for d in days)
    assert numbers["connections"] == by_end == 6
    assert numbers["new_connections"] == within == 4
    assert numbers["headline"].startswith("As of 30 June 2024: The team's 6 connections")
    # the owners' functions were guessed: the headline says the peers rest on that guess
    assert "guessed from their networks for 2 of 2 members" in numbers["headline"]
    assert "Peers (by a guessed function)" in numbers["highlights"]
    text, images = notebook_outputs(nb)
    # the CRM's two statuses for Hooli: a problem, saying which row is used
    assert "'Hooli' is in the CRM with two statuses: crm.csv row 2 says client, row 4" in text
    assert "The last one, row 4 (competitor), is used" in text
    # members are pseudonyms everywhere, those whose export failed included
    codes = dict(zip(_MEMBERS, pseudonym(pd.Series(_MEMBERS)), strict=True))
    for member in _MEMBERS:
        assert member not in text, member
    assert f"linkedin/{codes['cy-dee']}/Connections.csv" in text
    assert f"linkedin/{codes['fay-ito']}/Connections.csv" in text
    assert find_emails(text) == []
    # the new connections of the period, and the whole coverage table under its chart
    assert "From 1 March 2024 to 30 June 2024, the team made 4 new connections" in text
    tables = _html_tables(nb)
    assert any("All 2 client and prospect accounts" in t for t in tables)
    assert images >= 4
    # the cleaning report: the long title flagged under bo's own file and row (two notes
    # lines, a blank, the header: the first row is row 5), the set-aside line's values hidden
    out_dir = Path(nb.metadata.papermill.parameters["output_dir"])
    saved = out_dir / "01_audience_relevance.cleaning.csv"
    with open(saved, encoding="utf-8", newline="") as fh:
        entries = list(csv.DictReader(fh))
    long = [e for e in entries if e["rule"] == "very long title"]
    assert [(e["file"], e["row"]) for e in long] == [
        (f"linkedin/{codes['bo-chen']}/Connections.csv", "5")
    ]
    content = saved.read_text()
    for secret in ("Zed", "Quux", "zed-quux", "@", *_MEMBERS):
        assert secret not in content, secret
    assert any(e["rule"] == "CRM company with two statuses" for e in entries)


_MEMBERS = ["ana-lima", "bo-chen", "cy-dee", "fay-ito"]


def _raw_rows_lenient(path: Path) -> list[dict[str, str]]:
    """The data rows of an export with as many fields as its header (the csv module)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    start = next(i for i, r in enumerate(rows) if r[:2] == ["First Name", "Last Name"])
    return [dict(zip(rows[start], r, strict=True)) for r in rows[start + 1 :] if len(r) == 7]


def test_a_folder_whose_only_export_lacks_position_and_company(run_notebook, tmp_path):
    (tmp_path / "Connections.csv").write_text(
        NOTES + "First Name,Last Name,URL,Email Address,Connected On\nA,B,,,03 Jan 2024\n"
    )
    nb, numbers = run_notebook("01_audience_relevance", tmp_path)  # no traceback: _outputs
    why = (
        "the only connections export in this folder could not be read: it has no 'Company' "
        "or 'Position' column, which a LinkedIn Connections.csv needs"
    )
    assert numbers == {"no_data": why}
    text, images = notebook_outputs(nb)
    assert f"Nothing to analyse: {why}." in text and images == 0
    assert "'title'" not in text and "'company'" not in text  # the export's own names
