#!/usr/bin/env python3
"""Recompute a Sift run's test metrics from its exported predictions, independently of Sift's Java code.

    sift runs export RUN --predictions --iteration K --out predictions.csv
    sift runs show RUN --format json > show.json
    python3 tools/recompute_metrics.py predictions.csv --task graded --min-label 0 --show show.json --iteration K

For every (subset, seed) in the export it computes the metrics from the definitions in the README ("The evaluation
protocol"): NDCG@k per group with tied scores at their expected DCG over the tie's orders (gain 2^(label - min) - 1,
discount log2(rank + 1), groups whose pairs share one label skipped); graded tasks: accuracy and quadratic weighted
kappa of `prediction`; regression: RMSE; binary: MRR (ties at expectation), AUC (ties count half), log loss of
`probability`, accuracy, kappa, F1, precision and recall of `prediction`. It averages them over seeds and, with
--show, prints each beside the value `runs show` stored and the difference; the exit code is 1 when any differs by
more than --tolerance. Only the standard library and numpy.
"""
import argparse
import csv
import json
import math
import sys
from collections import defaultdict

import numpy as np


# models an iteration after the first reads back from iteration 1, where their metric rows are stored
ONCE = ("full", "full-clean", "majority", "zero-shot")


def read_rows(path):
    if path.endswith((".jsonl", ".ndjson", ".json")):
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def number(v):
    return float("nan") if v is None or v == "" else float(v)


def ranking(score):
    """The order to rank by, highest first, a NaN (a sample a model could not score) below every number, -inf
    included, as the Java's Double.compare puts it; and whether two neighbours in that order are tied."""
    nan = np.isnan(score)
    order = np.lexsort((-np.where(nan, 0.0, score), nan))
    s = score[order]
    tied = lambda a, b: (math.isnan(s[a]) and math.isnan(s[b])) or s[a] == s[b]
    return order, tied


def expected_dcg(score, gain, k):
    """DCG@k with tied scores at their expectation over the tie's orders (McSherry and Najork 2008)."""
    order, tied = ranking(score)
    s, g = score[order], gain[order]
    discount = np.zeros(len(s))
    top = min(k, len(s))
    discount[:top] = 1.0 / np.log2(np.arange(2, top + 2))
    dcg, i = 0.0, 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and tied(j + 1, i):
            j += 1
        dcg += g[i:j + 1].mean() * discount[i:j + 1].sum()
        i = j + 1
    return dcg


def ndcg(score, relevance, groups, k):
    values = []
    for ix in groups.values():
        rel = relevance[ix]
        if np.all(rel == rel[0]):
            continue  # any order of one label is perfect: skipped
        # 2^rel - 1 divided by 2^top, as the Java does, so that a wide label range cannot overflow (the ratio is the same)
        top = rel.max()
        gain = 2.0 ** (rel - top) - 2.0 ** -top
        best = np.sort(gain)[::-1][:k]
        ideal = float((best / np.log2(np.arange(2, len(best) + 2))).sum())
        values.append(expected_dcg(score[ix], gain, k) / ideal)
    return (float(np.mean(values)) if values else float("nan")), len(values)


def mrr(score, positive, groups):
    """1 / rank of the first positive, ties at expectation: in a tie of m holding a positives, starting after
    rank r, the first positive is at r + t with probability C(m - t, a - 1) / C(m, a)."""
    values = []
    for ix in groups.values():
        s, y = score[ix], positive[ix]
        if y.all() or not y.any():
            continue
        order, tied = ranking(s)
        s, y = s[order], y[order]
        i = 0
        while i < len(s):
            j = i
            while j + 1 < len(s) and tied(j + 1, i):
                j += 1
            m, a = j - i + 1, int(y[i:j + 1].sum())
            if a:
                values.append(sum(math.comb(m - t, a - 1) / math.comb(m, a) / (i + t) for t in range(1, m - a + 2)))
                break
            i = j + 1
    return float(np.mean(values)) if values else float("nan")


def auc(score, positive):
    n1, n0 = positive.sum(), (~positive).sum()
    if n1 == 0 or n0 == 0 or np.isnan(score).any():
        return float("nan")
    order = np.argsort(score, kind="stable")
    ranks = np.empty(len(score))
    s = score[order]
    i = 0
    while i < len(s):  # mid-ranks for ties: a tie counts half
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    return float((ranks[positive].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def kappa(truth, predicted):
    if len(set(truth)) < 2:
        return float("nan")  # every pair one grade: 1 - O/E is 0 for any prediction, so undefined (README)
    classes = sorted(set(truth) | set(predicted))
    index = {c: n for n, c in enumerate(classes)}
    observed = np.zeros((len(classes), len(classes)))
    for t, p in zip(truth, predicted):
        observed[index[t], index[p]] += 1
    weight = np.array([[(a - b) ** 2 for b in classes] for a in classes], float)
    expected = np.outer(observed.sum(1), observed.sum(0)) / observed.sum()
    denominator = (weight * expected).sum()
    return float("nan") if denominator == 0 else float(1 - (weight * observed).sum() / denominator)


def measure(rows, task, min_label, k):
    label = np.array([number(r["label"]) for r in rows])
    score = np.array([number(r["score"]) for r in rows])
    if np.isnan(score).all():
        score = np.zeros(len(rows))  # the majority ranks nothing: one tie, its expectation
    prediction = np.array([number(r["prediction"]) for r in rows])
    groups = defaultdict(list)
    for n, r in enumerate(rows):
        groups[r["group"]].append(n)
    groups = {g: np.array(ix) for g, ix in groups.items()}
    out = {}
    out["ndcg@%d" % k], out["ndcg_queries"] = ndcg(score, label - min_label, groups, k)
    if task == "regression":
        out["rmse"] = float(np.sqrt(np.mean((prediction - label) ** 2)))
        return out
    out["accuracy"] = float(np.mean(prediction == label))
    out["kappa"] = kappa(list(label), list(prediction))
    if task == "binary":
        positive = label == label.max() if label.max() > min_label else np.zeros(len(label), bool)
        predicted = prediction > min_label
        probability = np.array([number(r["probability"]) for r in rows])
        out["mrr"] = mrr(score, positive, groups)
        out["auc"] = auc(score, positive)
        out["log_loss"] = float(-np.mean(np.log(np.maximum(np.where(positive, probability, 1 - probability), 1e-15))))
        tp = float((predicted & positive).sum())
        out["precision"] = tp / predicted.sum() if predicted.sum() else 0.0
        out["recall"] = tp / positive.sum() if positive.sum() else float("nan")
        p, r = out["precision"], out["recall"]
        out["f1"] = float("nan") if math.isnan(r) else 2 * p * r / (p + r) if p + r > 0 else 0.0
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("predictions", help="the file `sift runs export RUN --predictions` wrote (CSV or JSON Lines)")
    ap.add_argument("--show", help="`sift runs show RUN --format json` of the same run, to compare with")
    ap.add_argument("--iteration", type=int, help="the exported iteration (needed with --show)")
    ap.add_argument("--min-label", type=float, required=True,
                    help="the run's task.min_label (NDCG's gains count from it; a test split may not hold it)")
    ap.add_argument("--task", choices=["graded", "binary", "regression"], required=True,
                    help="the run's task.type (a regression's labels may all be whole numbers)")
    ap.add_argument("--k", type=int, default=10, help="evaluate.k (default 10)")
    ap.add_argument("--tolerance", type=float, default=1e-6)
    a = ap.parse_args()
    rows = read_rows(a.predictions)
    if not rows:
        sys.exit("%s: no rows" % a.predictions)
    task, min_label = a.task, a.min_label
    lowest = min(number(r["label"]) for r in rows)
    if lowest < min_label:
        sys.exit("%s: a label %g is below --min-label %g: give the run's task.min_label" % (a.predictions, lowest,
                                                                                            min_label))
    models = defaultdict(list)
    for r in rows:
        models[(r["subset"], int(r["seed"]))].append(r)
    per_subset = defaultdict(list)
    for (subset, seed), rs in sorted(models.items()):
        per_subset[subset].append(measure(rs, task, min_label, a.k))
    stored = {}
    if a.show:
        with open(a.show, encoding="utf-8") as f:
            for m in json.load(f)["metrics"]:
                if m["split"] == "test" and (a.iteration is None or m["iteration"] == a.iteration):
                    stored[m["subset"]] = m
                elif m["split"] == "test" and m["iteration"] == 1 and m["subset"] in ONCE:
                    stored.setdefault(m["subset"], m)  # trained or measured in iteration 1, stored there
    worst = 0.0
    print("task %s, min label %g, k %d; means over seeds" % (task, min_label, a.k))
    print("%-13s %-13s %5s %12s %12s %10s" % ("subset", "metric", "seeds", "recomputed", "sift", "difference"))
    for subset, seeds in per_subset.items():
        for metric in seeds[0]:
            mine = float(np.mean([s[metric] for s in seeds]))
            theirs = stored.get(subset, {}).get(metric)
            theirs = float("nan") if theirs is None else float(theirs)
            diff = mine - theirs
            if not (math.isnan(mine) and math.isnan(theirs)) and subset in stored:
                worst = max(worst, abs(diff) if not math.isnan(diff) else math.inf)
            print("%-13s %-13s %5d %12.6f %12.6f %10.2e" % (subset, metric, len(seeds), mine, theirs, diff))
    if a.show:
        print("largest difference: %.2e (tolerance %.0e)" % (worst, a.tolerance))
        sys.exit(1 if worst > a.tolerance else 0)


if __name__ == "__main__":
    main()
