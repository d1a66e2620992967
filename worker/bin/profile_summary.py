#!/usr/bin/env python3
"""Totals a libtorch profiler trace (`largo bench --profile TRACE.json`) per op, or per op and input shapes.

    profile_summary.py TRACE.json STEPS [--shapes] [--top N]

Self time (an op's time minus the ops it called) per training step, calls per step and time per call.
The profiler slows every op down; compare ops with each other, not with unprofiled step times.
"""
import argparse
import collections
import json


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("trace")
    parser.add_argument("steps", type=float, help="training steps the trace covers (warm-up included)")
    parser.add_argument("--shapes", action="store_true", help="split each op by its input shapes")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    with open(args.trace) as f:
        trace = json.load(f)
    events = [e for e in (trace["traceEvents"] if isinstance(trace, dict) else trace) if e.get("ph") == "X"]
    events.sort(key=lambda e: (e.get("tid"), e["ts"], -e["dur"]))
    stack = []
    for event in events:  # nesting by time on each thread gives each op's self time
        while stack and not (event.get("tid") == stack[-1].get("tid")
                             and event["ts"] + event["dur"] <= stack[-1]["ts"] + stack[-1]["dur"] + 0.01):
            stack.pop()
        event["self"] = event["dur"]
        if stack:
            stack[-1]["self"] -= event["dur"]
        stack.append(event)
    totals = collections.defaultdict(lambda: [0, 0.0])
    for event in events:
        key = (event["name"], str(event.get("shape")) if args.shapes else "")
        totals[key][0] += 1
        totals[key][1] += event["self"]
    total = sum(v[1] for v in totals.values())
    print("self time per step: %.1f ms" % (total / 1000 / args.steps))
    for (name, shape), (calls, micros) in sorted(totals.items(), key=lambda kv: -kv[1][1])[:args.top]:
        print("%-48s %-44s %8.1f calls/step %9.2f ms/step %9.1f us/call"
              % (name[:48], shape[:44], calls / args.steps, micros / 1000 / args.steps, micros / calls))


if __name__ == "__main__":
    main()
