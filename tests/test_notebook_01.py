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

    # the shares, recomputed by a loop over the rows the package labelled
    net = R.load_network(sample)
    rel = R.add_relationship(
        net.audience, net.accounts, "Quillmoor Software B.V.", infer_owner_function=True
    )
    targets = {"Finance", "Accounting", "Purchasing"}
    ok = ("Manager", *SENIOR)
    buyers = peers = dms = same = other = 0
    for r in rel.itertuples():
        rel_ = str(r.relationship)
        fn = str(r.function)
        persona = fn in targets and str(r.seniority) in ok
        buyers += rel_ in ("client", "prospect") or (
            persona and rel_ not in ("internal", "partner", "competitor")
        )
        peers += rel_ == "peer"
        dms += str(r.seniority) in SENIOR
        if fn != "Unknown":
            same += fn == r.owner_function
            other += fn != r.owner_function
    n = len(rel)
    assert numbers["buyer_share"] == pytest.approx(buyers / n)
    assert numbers["peer_share"] == pytest.approx(peers / n)
    assert numbers["decision_maker_share"] == pytest.approx(dms / n)
    assert numbers["ei_index"] == pytest.approx((other - same) / (other + same))
    assert numbers["baseline"] == "target accounts"
    # the sample's story: a network of peers, with buyers a minority
    assert numbers["peer_share"] > 0.4 > numbers["buyer_share"] > 0.05
    assert numbers["inbreeding_homophily"] > 0.3 and numbers["ei_index"] < 0

    text, images = _outputs(nb)
    assert images >= 5  # mix, E-I, heatmap, coverage, trend: each drawn
    assert find_emails(text) == []  # no email anywhere in what the notebook shows
    for member in per_member:
        assert member not in text, member
    assert "What would help most" in "".join(c.source for c in nb.cells)


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
    text, images = _outputs(nb)
    assert find_emails(text) == []
    assert "No CRM account list" in text
    assert "could not be read" in text and "truncated" in text
    assert "broken/Connections.csv" not in text  # the folder is a person: pseudonymised
    assert images >= 4
