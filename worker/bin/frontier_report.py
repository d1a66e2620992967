#!/usr/bin/env python3
"""The robustness frontier of every arm of fashion-shift benchmark runs, as Markdown tables and an SVG plot.

Reads one or more results.json files written by `worker/bin/fashion-shift benchmark --frontier N` (the runs'
WiSE-FT curves: each run's `validationFrontier` on the ID validation split and `testFrontier` on the test sets) and
writes, from those numbers only:
  * the table at each arm's plain fine-tuned point (alpha 1) and at its WiSE-FT point chosen on ID validation only
    (the smallest alpha whose validation accuracy is within --tolerance points of the run's best on its curve),
    mean +- std over seeds;
  * the screening table (validation runs: ID validation accuracy);
  * an SVG plot (no matplotlib: the SVG is written by hand) of ID accuracy against OOD mean accuracy along alpha,
    the mean over seeds of each arm's test curve, with each arm's chosen point marked.

    worker/bin/frontier_report.py --svg docs/fashion-shift-frontier.svg RESULTS.json [RESULTS.json ...] > report.md
"""
import argparse
import json
import math
import statistics
import sys

COLOURS = ["#2457c5", "#c0352b", "#237a3b", "#9a6a00", "#7b3fb5", "#0f8b8d", "#d4589a", "#555555", "#e07b00"]


def mean_std(values):
    values = [v for v in values if v is not None]
    if not values:
        return None, None, 0
    return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0, len(values)


def fmt(values):
    m, s, n = mean_std(values)
    if m is None:
        return "—"
    return f"{m * 100:.1f} ± {s * 100:.1f}" if n > 1 else f"{m * 100:.1f} (n = 1)"


def chosen_alpha(validation_points, tolerance):
    best = max(p["idAccuracy"] for p in validation_points)
    for p in sorted(validation_points, key=lambda p: p["alpha"]):
        if p["idAccuracy"] >= best - tolerance - 1e-12:
            return p["alpha"]
    return 1.0


def point_at(points, alpha):
    for p in points:
        if abs(p["alpha"] - alpha) < 1e-12:
            return p
    raise KeyError(alpha)


def load(paths):
    runs = []
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        # a benchmark's results.json holds its runs; a runs/*.result.json file is one run
        runs.extend(data["runs"] if "runs" in data else [data])
    # the same run may sit in several result files (cached runs are reused): keep one per arm, evaluation and seed
    unique = {}
    for run in runs:
        spec = run["spec"]
        unique[(spec["arm"]["name"], spec["evaluation"], spec["seed"])] = run
    return list(unique.values())


def report(runs, tolerance, out):
    tests = [r for r in runs if r["spec"]["evaluation"] == "test" and r.get("testFrontier")]
    screens = [r for r in runs if r["spec"]["evaluation"] == "validation" and r.get("validationFrontier")]
    arms = []
    for r in tests:
        if r["spec"]["arm"]["name"] not in arms:
            arms.append(r["spec"]["arm"]["name"])

    out.write(f"#### At each arm's fine-tuned point (alpha 1) and at its WiSE-FT point chosen on ID validation"
              f" (tolerance {tolerance * 100:.1f} points)\n\n")
    out.write("| arm | seeds | ID (α 1) | OOD mean (α 1) | OOD worst (α 1) | chosen α (per seed) | ID (chosen) |"
              " OOD mean (chosen) | OOD worst (chosen) | ID (α 1, same images) | OOD mean (α 1, same images) |\n")
    out.write("|---|---|---|---|---|---|---|---|---|---|---|\n")
    summary = {}
    for arm in arms:
        mine = sorted([r for r in tests if r["spec"]["arm"]["name"] == arm], key=lambda r: r["spec"]["seed"])
        alphas = [chosen_alpha(r["validationFrontier"]["points"], tolerance) for r in mine]
        chosen = [point_at(r["testFrontier"]["points"], a) for r, a in zip(mine, alphas)]
        ends = [point_at(r["testFrontier"]["points"], 1.0) for r in mine]
        summary[arm] = {"alphas": alphas, "id": [p["idAccuracy"] for p in chosen],
                        "ood": [p["oodMeanAccuracy"] for p in chosen]}
        out.write(f"| {arm} | {len(mine)} | {fmt([r['idAccuracy'] for r in mine])} |"
                  f" {fmt([r['oodMeanAccuracy'] for r in mine])} | {fmt([r['oodWorstAccuracy'] for r in mine])} |"
                  f" {', '.join(f'{a:g}' for a in alphas)} | {fmt([p['idAccuracy'] for p in chosen])} |"
                  f" {fmt([p['oodMeanAccuracy'] for p in chosen])} | {fmt([p['oodWorstAccuracy'] for p in chosen])} |"
                  f" {fmt([p['idAccuracy'] for p in ends])} | {fmt([p['oodMeanAccuracy'] for p in ends])} |\n")
    out.write("\n")

    if screens:
        out.write("#### Screening (one seed, ID validation split only)\n\n")
        out.write("| arm | ID validation accuracy (α 1) | best α ≤ 1 within tolerance | ID validation at α 0.5 |\n")
        out.write("|---|---|---|---|\n")
        for r in screens:
            points = r["validationFrontier"]["points"]
            out.write(f"| {r['spec']['arm']['name']} | {r['idAccuracy'] * 100:.1f} |"
                      f" {chosen_alpha(points, tolerance):g} | {point_at(points, 0.5)['idAccuracy'] * 100:.1f} |\n")
        out.write("\n")
    return arms, tests, summary


def svg(arms, tests, summary, title, path):
    width, height = 760, 460
    left, right, top, bottom = 64, 220, 36, 52
    curves = {}
    for arm in arms:
        mine = [r for r in tests if r["spec"]["arm"]["name"] == arm]
        alphas = sorted({p["alpha"] for r in mine for p in r["testFrontier"]["points"]})
        curves[arm] = [(a, statistics.mean(point_at(r["testFrontier"]["points"], a)["oodMeanAccuracy"] for r in mine),
                        statistics.mean(point_at(r["testFrontier"]["points"], a)["idAccuracy"] for r in mine))
                       for a in alphas]
    xs = [x for c in curves.values() for _, x, _ in c]
    ys = [y for c in curves.values() for _, _, y in c]
    # the interesting region: alpha 0 of a fresh head sits at chance, so the axes start where the curves are at
    # alpha 0.7 (lines run out of the plot below it)
    upper = [y for c in curves.values() for a, _, y in c if a >= 0.7 - 1e-9]
    ymin = max(0.0, math.floor(min(upper or ys) * 50) / 50)
    ymax = min(1.0, math.ceil(max(ys) * 50) / 50)
    visible = [x for c in curves.values() for _, x, y in c if y >= ymin]
    xmin = math.floor(min(visible) * 50) / 50
    xmax = math.ceil(max(visible) * 50) / 50

    def sx(v):
        return left + (v - xmin) / (xmax - xmin) * (width - left - right)

    def sy(v):
        return height - bottom - (v - ymin) / (ymax - ymin) * (height - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
             f' font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
             f'<text x="{left}" y="20" font-size="14" font-weight="bold">{title}</text>']
    steps = 5
    for i in range(steps + 1):
        xv = xmin + (xmax - xmin) * i / steps
        yv = ymin + (ymax - ymin) * i / steps
        parts.append(f'<line x1="{sx(xv):.1f}" x2="{sx(xv):.1f}" y1="{top}" y2="{height - bottom}" stroke="#e2e5e9"/>')
        parts.append(f'<text x="{sx(xv):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#667085">'
                     f'{xv * 100:.0f}%</text>')
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(yv):.1f}" y2="{sy(yv):.1f}" stroke="#e2e5e9"/>')
        parts.append(f'<text x="{left - 6}" y="{sy(yv) + 4:.1f}" text-anchor="end" fill="#667085">{yv * 100:.0f}%</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">OOD mean accuracy'
                 f' (test)</text>')
    parts.append(f'<text x="16" y="{(top + height - bottom) / 2}" text-anchor="middle"'
                 f' transform="rotate(-90 16 {(top + height - bottom) / 2})">ID accuracy (test)</text>')
    parts.append(f'<clipPath id="plot"><rect x="{left}" y="{top}" width="{width - left - right}"'
                 f' height="{height - top - bottom}"/></clipPath>')
    for i, arm in enumerate(arms):
        colour = COLOURS[i % len(COLOURS)]
        curve = curves[arm]
        line = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for _, x, y in curve)
        parts.append(f'<g clip-path="url(#plot)"><polyline points="{line}" fill="none" stroke="{colour}"'
                     f' stroke-width="2"/>')
        for a, x, y in curve:
            parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="{3.5 if a in (0.0, 1.0) else 2.5}"'
                         f' fill="{colour}"><title>{arm}, alpha {a:g}: ID {y * 100:.1f}%, OOD mean {x * 100:.1f}%'
                         f'</title></circle>')
        chosen = summary[arm]
        cx, cy = statistics.mean(chosen["ood"]), statistics.mean(chosen["id"])
        parts.append(f'<rect x="{sx(cx) - 5:.1f}" y="{sy(cy) - 5:.1f}" width="10" height="10" fill="none"'
                     f' stroke="{colour}" stroke-width="2"><title>{arm}: validation-chosen point</title></rect></g>')
        ly = top + 10 + i * 20
        parts.append(f'<line x1="{width - right + 14}" x2="{width - right + 34}" y1="{ly}" y2="{ly}" stroke="{colour}"'
                     f' stroke-width="3"/>')
        parts.append(f'<text x="{width - right + 40}" y="{ly + 4}">{arm}</text>')
    ly = top + 10 + len(arms) * 20 + 10
    parts.append(f'<rect x="{width - right + 19}" y="{ly - 5}" width="10" height="10" fill="none" stroke="#1d2430"'
                 f' stroke-width="2"/><text x="{width - right + 40}" y="{ly + 4}">chosen on ID validation</text>')
    parts.append(f'<text x="{width - right + 14}" y="{ly + 24}" fill="#667085">each line: α 0 → 1, mean of seeds</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+")
    parser.add_argument("--tolerance", type=float, default=0.005, help="ID validation tolerance (fraction)")
    parser.add_argument("--svg", help="write the frontier plot here")
    parser.add_argument("--title", default="fashion-shift: ID vs OOD along WiSE-FT's alpha")
    args = parser.parse_args()
    runs = load(args.results)
    arms, tests, summary = report(runs, args.tolerance, sys.stdout)
    if args.svg and arms:
        svg(arms, tests, summary, args.title, args.svg)


if __name__ == "__main__":
    main()
