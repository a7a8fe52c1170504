"""Date extraction held to the development gold set: F1 at least 0.95 and not one page-junk mention.

The gold set and its scorer live beside the project (``../shared/eval/``), as they do in CI; the
scorer's own loading and scoring functions are used, so the figures here are the scorer's figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ingestion.dates import extract_dates

EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
SEEDS = EVAL.parent / "seeds"


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    if not (EVAL / "score.py").is_file() or not SEEDS.is_dir():
        pytest.skip(f"the development set is not beside the project (looked for {EVAL} and {SEEDS})")
    spec = importlib.util.spec_from_file_location("eval_score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _anchor(published: str) -> dt.date | dt.datetime:
    return dt.datetime.fromisoformat(published) if "T" in published else dt.date.fromisoformat(published)


def test_dev_set_f1_and_no_junk(scorer: ModuleType) -> None:
    args = argparse.Namespace(
        manifest=str(EVAL / "seeds_manifest.json"), texts=str(SEEDS), header=False, date_only_anchor=False
    )
    docs = scorer.load_documents(args)
    gold = scorer.load_annotations(str(EVAL / "seeds_gold.jsonl"), docs, "gold")
    negatives = scorer.load_annotations(str(EVAL / "seeds_negatives.jsonl"), docs, "negatives")
    predictions: dict[str, list[dict[str, Any]]] = {}
    for name, doc in docs.items():
        language = "auto" if doc["language"] == "mixed" else doc["language"]
        mentions = extract_dates(doc["text"], published=_anchor(doc["published"]), language=language)
        predictions[name] = [{**mention.as_dict(), "actors": None} for mention in mentions]

    result = scorer.score(list(docs), gold, negatives, predictions)
    wrong = [
        (name, prediction["text"], prediction["value"])
        for name, items in predictions.items()
        for prediction in items
        if not scorer.is_ok(prediction, [g for g in gold if g["article"] == name])
    ]
    junk = [
        (negative["article"], negative["mention"])
        for negative in negatives
        if any(scorer.overlaps(p, negative) for p in predictions[negative["article"]])
    ]
    assert junk == [], f"page junk or non-dates reported as dates: {junk}"
    assert result["F1"] >= 0.95, (
        f"F1 {result['F1']:.2f} (P {result['P']:.2f}, R {result['R']:.2f}); wrong: {wrong}"
    )


def test_dev_set_actors_found_by_extract_events(scorer: ModuleType) -> None:
    """Who each dated happening involves, with no record to match against (every actor a candidate):
    recall and precision at least 0.85, and the dates as good as extract_dates alone."""
    from ingestion.services.ingest import extract_events

    args = argparse.Namespace(
        manifest=str(EVAL / "seeds_manifest.json"), texts=str(SEEDS), header=False, date_only_anchor=False
    )
    docs = scorer.load_documents(args)
    gold = scorer.load_annotations(str(EVAL / "seeds_gold.jsonl"), docs, "gold")
    negatives = scorer.load_annotations(str(EVAL / "seeds_negatives.jsonl"), docs, "negatives")
    predictions: dict[str, list[dict[str, Any]]] = {}
    for name, doc in docs.items():
        language = "auto" if doc["language"] == "mixed" else doc["language"]
        items = extract_events(doc["text"], published=_anchor(doc["published"]), language=language)
        predictions[name] = [
            {**item.mention.as_dict(), "actors": [doc["text"][a.start : a.end] for a in item.actors]}
            for item in items
        ]

    result = scorer.score(list(docs), gold, negatives, predictions)
    assert result["F1"] >= 0.95 and result["neg_hit"] == 0
    assert result["actR"] >= 0.85 and result["actP"] >= 0.85, (result["actR"], result["actP"])
