#!/usr/bin/env python3
"""How far could any combination of Sift's scores go at finding the flipped labels of a `bench noise` run?

Reads the files `sift bench noise ... --scores-out DIR` writes (DIR/seed-S-METHOD.csv: label, noisy, score, higher
= removed first) and prints, mean over seeds:
  - each method's AUROC and F1 at the noise count, recomputed from the files (they match the bench's table);
  - its ceiling with the label: per given label, the noisy share in each decile of the method's within-label rank,
    measured on the true flags themselves (an oracle: no real detector knows them);
  - the ceiling of all methods together: per given label, least squares of the noisy flag on every method's
    within-label rank and its square, fitted on the true flags (an oracle again, and an optimistic one).
A ceiling below a goal says that no reweighting, calibration or ensemble of these scores reaches it; a better
scoring model (one that knows more about the data) would be needed.

Usage: python3 tools/noise_ceiling.py DIR   (needs numpy)
"""
import collections
import glob
import os
import sys

import numpy as np


def ranks(s):
    """Average ranks, 1-based (ties share their mean rank)."""
    order = np.argsort(s, kind="mergesort")
    r = np.empty(len(s))
    sorted_s = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return r


def auroc(s, y):
    n1 = y.sum()
    n0 = len(y) - n1
    return (ranks(s)[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def f1_at_noise_count(s, y):
    m = int(y.sum())
    return y[np.argsort(-s, kind="mergesort")[:m]].mean()


def within(label, s):
    """Each sample's rank among the samples of its given label, in [0, 1)."""
    q = np.zeros(len(s))
    for g in np.unique(label):
        idx = np.where(label == g)[0]
        q[idx] = (ranks(s[idx]) - 1) / len(idx)
    return q


def decile_ceiling(label, y, s):
    q = within(label, s)
    out = np.zeros(len(s))
    for g in np.unique(label):
        idx = np.where(label == g)[0]
        bins = np.minimum((q[idx] * 10).astype(int), 9)
        for b in range(10):
            sel = idx[bins == b]
            if len(sel):
                out[sel] = y[sel].mean()
        out[idx] += 1e-9 * q[idx]
    return out


def all_methods_ceiling(label, y, scores):
    out = np.zeros(len(y))
    qs = [within(label, s) for s in scores]
    for g in np.unique(label):
        idx = np.where(label == g)[0]
        x = np.column_stack([q[idx] for q in qs] + [q[idx] ** 2 for q in qs] + [np.ones(len(idx))])
        w, *_ = np.linalg.lstsq(x, y[idx], rcond=None)
        out[idx] = x @ w
    return out


def main(folder):
    runs = collections.defaultdict(dict)
    for path in glob.glob(os.path.join(folder, "seed-*-*.csv")):
        seed, method = os.path.basename(path)[len("seed-"):-len(".csv")].split("-", 1)
        a = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
        runs[seed][method] = (a[:, 0], a[:, 1].astype(int), a[:, 2])
    if not runs:
        sys.exit(f"{folder}: no seed-S-METHOD.csv files (write them with sift bench noise --scores-out DIR)")
    per_method = collections.defaultdict(list)
    together = []
    for seed, methods in sorted(runs.items()):
        for m, (label, y, s) in methods.items():
            per_method[m].append((auroc(s, y), f1_at_noise_count(s, y),
                                  *(lambda c: (auroc(c, y), f1_at_noise_count(c, y)))(decile_ceiling(label, y, s))))
        members = [m for m in sorted(methods) if m != "ensemble"]
        label, y, _ = methods[members[0]]
        c = all_methods_ceiling(label, y, [np.nan_to_num(methods[m][2]) for m in members])
        together.append((auroc(c, y), f1_at_noise_count(c, y)))
    print(f"{len(runs)} seed(s); means over seeds")
    print(f"{'method':20s} {'auroc':>6s} {'f1':>6s}   ceiling with the label (oracle): {'auroc':>6s} {'f1':>6s}")
    for m, rows in sorted(per_method.items(), key=lambda kv: -np.mean([r[0] for r in kv[1]])):
        r = np.mean(rows, axis=0)
        print(f"{m:20s} {r[0]:6.3f} {r[1]:6.3f}   {'':32s} {r[2]:6.3f} {r[3]:6.3f}")
    t = np.mean(together, axis=0)
    print(f"all methods together, fitted on the true flags (oracle): auroc {t[0]:.3f}, f1 {t[1]:.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
