#!/usr/bin/env python3
"""Split a CSV of query-product pairs into files by query, for a workflow's dataset.validation, dataset.utility and
dataset.test (dataset.path takes train.csv). Every query's rows go to one file (the query as Sift groups it: case,
white space and zero-width characters aside); queries are shuffled with a seed and cut by the shares given (as
shares of the queries, the rest train). Optionally a split keeps only the rows where a column has a value (a
curated subset: pairs whose raters agreed, say), and the whole split is also written beside it, so the two can be
compared on the same queries.

    python3 tools/split_by_query.py SOURCE.csv OUTDIR --query query \\
        --shares validation=0.1,utility=0.1,test=0.2 --seed 13 [--keep utility:relevance_variance=0]

Writes OUTDIR/train.csv, OUTDIR/<split>.csv for each share, and OUTDIR/<split>_all.csv for a split that --keep
filters. The files keep the source's header and quoting (csv module, minimal quoting). Standard library only.
"""
import argparse
import csv
import os
import random
import re
import sys

INVISIBLE = re.compile('[\u200b-\u200d\u2060\ufeff\u00ad]')
SPACES = re.compile(r'\s+')


def normalise(query):
    """The query as Sift groups it: lower case, white space runs one space, trimmed, zero-width characters out."""
    return SPACES.sub(' ', INVISIBLE.sub('', query).lower()).strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('source')
    ap.add_argument('outdir')
    ap.add_argument('--query', required=True, help='the column that groups rows (the query)')
    ap.add_argument('--shares', required=True, help='name=share,... of the queries; the rest is train')
    ap.add_argument('--seed', type=int, default=13)
    ap.add_argument('--keep', action='append', default=[], help='split:column=value, rows of that split kept')
    a = ap.parse_args()
    shares = []
    for part in a.shares.split(','):
        name, share = part.split('=')
        shares.append((name.strip(), float(share)))
    if sum(s for _, s in shares) >= 1:
        sys.exit('the shares must leave queries for training')
    keep = {}
    for k in a.keep:
        split, cond = k.split(':', 1)
        col, val = cond.split('=', 1)
        keep[split] = (col, val)
    csv.field_size_limit(1 << 30)
    with open(a.source, newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        rows = list(reader)
    queries = sorted({normalise(r[a.query]) for r in rows})
    random.Random(a.seed).shuffle(queries)
    where = {}
    start = 0
    for name, share in shares:
        n = round(share * len(queries))
        for q in queries[start:start + n]:
            where[q] = name
        start += n
    os.makedirs(a.outdir, exist_ok=True)
    out = {}
    for name in ['train'] + [n for n, _ in shares] + [n + '_all' for n in keep]:
        f = open(os.path.join(a.outdir, name + '.csv'), 'w', newline='', encoding='utf-8')
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        out[name] = (f, w, [0])
    for r in rows:
        name = where.get(normalise(r[a.query]), 'train')
        if name in keep:
            out[name + '_all'][1].writerow(r)
            out[name + '_all'][2][0] += 1
            col, val = keep[name]
            if r[col] != val:
                continue
        out[name][1].writerow(r)
        out[name][2][0] += 1
    for name, (f, _, n) in out.items():
        f.close()
        print(f'{name}: {n[0]} rows')


if __name__ == '__main__':
    main()
