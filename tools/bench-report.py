#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw results of selftests/vm/bench.sh into a report.

    bench-report.py RAW_DIR OUT_DIR

RAW_DIR holds meta.env and runs/<n>-r<round>-<job>-<target>/ with fio.json,
a.snap and b.snap (CPU snapshots at the start and end of the measurement
window). OUT_DIR gets results.json (every run and the medians), table.txt,
chart.dat/chart.gp/chart.png (gnuplot) and, when present, the perf profiles.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

TARGETS = ["lio", "spt", "nvmet", "local"]
LABELS = {"lio": "LIO", "spt": "iscsi_spt", "nvmet": "nvmet-tcp",
          "local": "local null_blk"}
JOBS = ["randread-4k-qd1", "randread-4k-qd32", "randwrite-4k-qd32",
        "read-128k-qd8", "write-128k-qd8", "randread-4k-qd32-4s"]

# Threads whose run time counts as the target's own, by name (the part of a
# kworker's name after '-' or '+' is its last workqueue and changes).
#   spt:   our per-CPU workers (worker.c, "ispt/%u").
#   lio:   its per-connection rx/tx threads, and the bound kworkers that
#          run target_completion work (normal priority).
#   nvmet: the bound high-priority kworkers of nvmet_tcp_wq. The nvme-tcp
#          host's io_work and kblockd run on the same pool, so this is an
#          upper bound on what nvmet-tcp itself costs.
TARGET_THREADS = {
    "spt": [r"ispt/\d+"],
    "lio": [r"iscsi_trx", r"iscsi_ttx", r"kworker/\d+:\d+"],
    "nvmet": [r"kworker/\d+:\d+H"],
    "local": [],
}
# Every thread class reported, for the reader who wants another split.
CLASSES = [
    ("ispt", r"ispt/\d+"),
    ("iscsi_trx/ttx", r"iscsi_t[rt]x"),
    ("kworker bound", r"kworker/\d+:\d+"),
    ("kworker bound H", r"kworker/\d+:\d+H"),
    ("kworker unbound", r"kworker/u\d+:\d+"),
    ("ksoftirqd", r"ksoftirqd/\d+"),
    ("fio", r"fio"),
    ("iscsid", r"iscsid"),
]


def base_comm(comm):
    return re.split(r"[-+]", comm, maxsplit=1)[0] if comm.startswith(
        "kworker/") else comm


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                env[k] = v
    return env


def read_snap(path):
    """A snapshot: counters read before the walk over the threads (clock,
    stat, dev), the threads, and the counters again (clock2, stat2, dev2).
    The counters are averaged: they then stand for the middle of the walk.
    """
    snap = {"stat": {}, "dev": {}, "thr": {}, "stat2": {}, "dev2": {}}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            key = parts[0]
            if key in ("clock", "clock2"):
                snap[key] = float(parts[1])
            elif key in ("stat", "stat2", "dev", "dev2"):
                snap[key][parts[1]] = [int(x) for x in parts[2:]]
            elif key == "thr" and len(parts) >= 4:
                snap["thr"][parts[1]] = (int(parts[2]),
                                         base_comm(" ".join(parts[3:])))
    snap["walk_s"] = snap.get("clock2", snap["clock"]) - snap["clock"]
    for key in ("clock", "stat", "dev"):
        later = snap.get(key + "2")
        if key == "clock":
            snap[key] = (snap[key] + later) / 2 if later else snap[key]
            continue
        for k, v in snap[key].items():
            if later and k in later:
                snap[key][k] = [(x + y) / 2 for x, y in zip(v, later[k])]
    return snap


def thread_ns(a, b, patterns):
    """Run time in the window of threads whose name matches a pattern.

    A thread present at both ends counts its difference, one born inside
    the window all of its time; one that died inside it is lost.
    """
    total = 0
    regex = [re.compile(p + "$") for p in patterns]
    for tid, (rt, comm) in b["thr"].items():
        if not any(r.match(comm) for r in regex):
            continue
        before = a["thr"].get(tid)
        total += rt - before[0] if before and before[1] == comm else rt
    return total


def fio_side(job, side):
    s = job[side]
    lat = s.get("lat_ns", {})
    pct = lat.get("percentile") or s.get("clat_ns", {}).get("percentile") or {}
    return {
        "iops": s["iops"],
        "bw_kib": s["bw"],
        "ios": s["total_ios"],
        "lat_mean_us": lat.get("mean", 0) / 1000,
        "lat_p99_us": pct.get("99.000000", 0) / 1000,
    }


def analyse_run(d, user_hz):
    with open(os.path.join(d, "meta")) as f:
        info = dict(re.findall(r"\b(round|job|target|rc)=(\S+)", f.read()))
    run = {"dir": os.path.basename(d), "round": int(info["round"]),
           "job": info["job"], "target": info["target"],
           "rc": int(info.get("rc", "1"))}
    try:
        with open(os.path.join(d, "fio.json")) as f:
            text = f.read()
        # fio may print notes before the JSON object.
        fio = json.loads(text[text.index("{"):])
    except (OSError, ValueError) as e:
        run["error"] = f"fio output: {e}"
        return run
    job = fio["jobs"][0]
    if job.get("error"):
        run["error"] = f"fio error {job['error']}"
    rd, wr = fio_side(job, "read"), fio_side(job, "write")
    side = wr if wr["ios"] > rd["ios"] else rd
    run.update({k: side[k] for k in side})
    try:
        a = read_snap(os.path.join(d, "a.snap"))
        b = read_snap(os.path.join(d, "b.snap"))
    except OSError as e:
        run["error"] = f"snapshots: {e}"
        return run
    secs = b["clock"] - a["clock"]
    # fio stamps its report when the timed part ends.
    fio_end = fio.get("timestamp_ms", 0) / 1000
    fio_start = fio_end - job.get("job_runtime", 0) / 1000
    run["window_inside_fio"] = (a["clock"] - a["walk_s"] / 2 >= fio_start - 0.2
                                and b["clock"] + b["walk_s"] / 2 <= fio_end + 0.2)
    ios = 0
    for dev, cnt in b["dev"].items():
        before = a["dev"].get(dev)
        if before:
            ios += (cnt[0] - before[0]) + (cnt[4] - before[4])
    sa, sb = a["stat"]["cpu"], b["stat"]["cpu"]
    delta = [y - x for x, y in zip(sa, sb)]
    total = sum(delta[:8])		# guest and guest_nice are inside user
    idle = delta[3] + delta[4]
    busy_s = (total - idle) / user_hz
    tgt_ns = thread_ns(a, b, TARGET_THREADS[run["target"]])
    run.update({
        "snapshot_walk_s": max(a["walk_s"], b["walk_s"]),
        "window_s": secs,
        "window_ios": ios,
        "guest_busy_pct": 100.0 * (total - idle) / total if total else 0,
        "guest_cpu_us_per_io": 1e6 * busy_s / ios if ios else 0,
        "softirq_pct": 100.0 * delta[6] / total if total else 0,
        "target_cpu_pct": 100.0 * tgt_ns / 1e9 / secs if secs else 0,
        "target_cpu_us_per_io": tgt_ns / 1000 / ios if ios and
        TARGET_THREADS[run["target"]] else None,
        "threads_cpu_pct": {name: 100.0 * thread_ns(a, b, [p]) / 1e9 / secs
                            for name, p in CLASSES},
    })
    return run


METRICS = ["iops", "bw_kib", "lat_mean_us", "lat_p99_us", "guest_busy_pct",
           "guest_cpu_us_per_io", "target_cpu_pct", "target_cpu_us_per_io"]


def median_of(runs, key):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def summarise(runs):
    summary = {}
    for job in JOBS:
        row = {}
        for t in TARGETS:
            rs = [r for r in runs if r["job"] == job and r["target"] == t
                  and "error" not in r and r["rc"] == 0]
            if not rs:
                continue
            row[t] = {k: median_of(rs, k) for k in METRICS}
            row[t]["rounds"] = len(rs)
            row[t]["iops_each"] = [round(r["iops"]) for r in rs]
            row[t]["threads_cpu_pct"] = {
                name: statistics.median(r["threads_cpu_pct"][name]
                                        for r in rs)
                for name, _ in CLASSES}
        lio = row.get("lio")
        for t, v in row.items():
            if not lio:
                break
            v["ratio_to_lio"] = {
                k: (v[k] / lio[k] if v.get(k) is not None and lio.get(k)
                    else None)
                for k in ("iops", "lat_mean_us", "lat_p99_us",
                          "guest_cpu_us_per_io", "target_cpu_us_per_io")}
        if row:
            summary[job] = row
    return summary


def fmt(v, nd=0):
    if v is None:
        return "-"
    return f"{v:,.{nd}f}"


def ratio(v):
    return "-" if v is None else f"{v:.2f}x"


def table(meta, summary):
    lines = []
    lines.append(f"commit {meta.get('commit', '?')}: "
                 f"{meta.get('commit_subject', '')}")
    lines.append(f"guest {meta.get('kernel', '?')}, {meta.get('cpus', '?')} "
                 f"vCPUs (TCG); {meta.get('rounds')} rounds of "
                 f"{meta.get('runtime')} s (+{meta.get('ramp')} s ramp); "
                 f"medians across rounds")
    lines.append(f"host load average {meta.get('host_loadavg_start', '?')} "
                 f"-> {meta.get('host_loadavg_end', '?')}, other VMs "
                 f"{meta.get('host_other_qemus_start', '?')}/"
                 f"{meta.get('host_other_qemus_end', '?')} (start/end)")
    lines.append("")
    head = (f"{'job':<20} {'target':<15} {'IOPS':>8} {'MiB/s':>7} "
            f"{'mean us':>8} {'p99 us':>8} {'busy%':>6} {'cpu us/IO':>9} "
            f"{'tgt us/IO':>9} | {'IOPS':>6} {'mean':>6} {'p99':>6} "
            f"{'tgt/IO':>6}")
    lines.append(" " * 105 + "ratio to LIO")
    lines.append(head)
    lines.append("-" * len(head))
    for job, row in summary.items():
        for t in TARGETS:
            if t not in row:
                continue
            v = row[t]
            r = v.get("ratio_to_lio", {})
            lines.append(
                f"{job:<20} {LABELS[t]:<15} {fmt(v['iops']):>8} "
                f"{fmt(v['bw_kib'] / 1024, 1):>7} "
                f"{fmt(v['lat_mean_us']):>8} {fmt(v['lat_p99_us']):>8} "
                f"{fmt(v['guest_busy_pct']):>6} "
                f"{fmt(v['guest_cpu_us_per_io']):>9} "
                f"{fmt(v['target_cpu_us_per_io']):>9} | "
                f"{ratio(r.get('iops')):>6} {ratio(r.get('lat_mean_us')):>6} "
                f"{ratio(r.get('lat_p99_us')):>6} "
                f"{ratio(r.get('target_cpu_us_per_io')):>6}")
        lines.append("")
    lines.append("busy%: guest CPU busy (all vCPUs, /proc/stat); cpu us/IO: "
                 "guest busy CPU time per I/O;")
    lines.append("tgt us/IO: run time of the target's own threads per I/O "
                 "(see Documentation/benchmark.rst)")
    return "\n".join(lines) + "\n"


def chart(out, meta, summary):
    """Two panels: IOPS and target CPU per I/O, both relative to LIO."""
    dat = os.path.join(out, "chart.dat")
    with open(dat, "w") as f:
        f.write("# job lio spt nvmet (IOPS ratio) lio spt nvmet "
                "(target CPU/IO ratio)\n")
        for job, row in summary.items():
            vals = []
            for key in ("iops", "target_cpu_us_per_io"):
                for t in ("lio", "spt", "nvmet"):
                    r = row.get(t, {}).get("ratio_to_lio", {}).get(key)
                    vals.append("NaN" if r is None else f"{r:.3f}")
            f.write(f"{job} {' '.join(vals)}\n")
    def labels(col):
        # Clustered bars of 3 series with gap 1 sit at -0.25, 0, +0.25.
        return ", \\\n".join(
            f'     "" using ($0{off:+.2f}):{col + i}:(sprintf("%.2f", '
            f'${col + i})) with labels offset 0,0.6 font ",8" notitle'
            for i, off in enumerate((-0.25, 0, 0.25)))

    gp = os.path.join(out, "chart.gp")
    title = (f"iscsi_spt {meta.get('commit', '?')}: relative to LIO "
             f"(medians of {meta.get('rounds')} rounds, 2 vCPUs TCG)")
    with open(gp, "w") as f:
        f.write(f"""set terminal pngcairo size 1100,760 font ",10"
set output "{os.path.join(out, 'chart.png')}"
set datafile missing "NaN"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key outside right top vertical noenhanced
set offsets 0, 0, graph 0.1, 0
set xtics rotate by -20 noenhanced
set yrange [0:*]
set multiplot layout 2,1 title "{title}" noenhanced
set lmargin at screen 0.07
set rmargin at screen 0.82
set title "IOPS / LIO's (higher is better)"
plot "{dat}" using 2:xtic(1) title "LIO" lc rgb "#999999", \\
     "" using 3 title "iscsi_spt" lc rgb "#1f77b4", \\
     "" using 4 title "nvmet-tcp" lc rgb "#2ca02c", \\
{labels(2)}, \\
     1 notitle with lines lc rgb "black" dt 2
set title "target threads' CPU time per I/O / LIO's (lower is better)"
plot "{dat}" using 5:xtic(1) title "LIO" lc rgb "#999999", \\
     "" using 6 title "iscsi_spt" lc rgb "#1f77b4", \\
     "" using 7 title "nvmet-tcp (upper bound)" lc rgb "#2ca02c", \\
{labels(5)}, \\
     1 notitle with lines lc rgb "black" dt 2
unset multiplot
""")
    try:
        subprocess.run(["gnuplot", gp], check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"bench-report: gnuplot failed: {e}", file=sys.stderr)
        return False
    return True


# What each profile report shows: by thread, by thread and function, and
# who calls the hottest functions (callee call graphs).
PERF_REPORTS = {
    "comm.txt": ["--sort", "comm", "-g", "none"],
    "sym.txt": ["--sort", "comm,dso,sym", "-g", "none",
                "--percent-limit", "0.3"],
    "callers.txt": ["--sort", "comm,sym", "-g", "graph,1,callee",
                    "--percent-limit", "1.5"],
    # Inclusive time: how much of a thread went under each function.
    "children.txt": ["--children", "--sort", "comm,sym", "-g", "none",
                     "--percent-limit", "1"],
}


def perf_reports(raw, out, kallsyms):
    """Reports from the guest's perf.data, read here with its kallsyms."""
    for t in sorted(os.listdir(raw)):
        src, dst = os.path.join(raw, t), os.path.join(out, t)
        os.makedirs(dst, exist_ok=True)
        data = os.path.join(src, "perf.data")
        if not os.path.exists(data) or not shutil.which("perf"):
            continue
        for name, args in PERF_REPORTS.items():
            with open(os.path.join(dst, name), "w") as f:
                no_children = [] if "--children" in args else [
                    "--no-children"]
                subprocess.run(["perf", "report", "-i", data, "--stdio",
                                "--kallsyms", kallsyms] + no_children + args,
                               stdout=f, stderr=subprocess.DEVNULL,
                               check=False)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    raw, out = sys.argv[1], sys.argv[2]
    meta = read_env(os.path.join(raw, "meta.env"))
    user_hz = int(meta.get("user_hz", "100"))
    runs_dir = os.path.join(raw, "runs")
    runs = [analyse_run(os.path.join(runs_dir, d), user_hz)
            for d in sorted(os.listdir(runs_dir))]
    bad = [r for r in runs if "error" in r or r["rc"] != 0]
    summary = summarise(runs)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"meta": meta, "target_threads": TARGET_THREADS,
                   "summary": summary, "runs": runs}, f, indent=1)
    text = table(meta, summary)
    with open(os.path.join(out, "table.txt"), "w") as f:
        f.write(text)
    perf = os.path.join(raw, "perf")
    if os.path.isdir(perf):
        perf_reports(perf, os.path.join(out, "perf"),
                     os.path.join(raw, "perf-kallsyms"))
    ok = chart(out, meta, summary)
    sys.stdout.write(text)
    outside = [r["dir"] for r in runs if r.get("window_inside_fio") is False]
    if outside:
        print(f"bench-report: CPU window not inside fio's timed part in "
              f"{len(outside)} runs: {' '.join(outside)}", file=sys.stderr)
    for r in bad:
        print(f"bench-report: run {r['dir']} failed: "
              f"{r.get('error', 'rc ' + str(r['rc']))}", file=sys.stderr)
    print(f"results in {out} (table.txt, results.json, chart.png)")
    sys.exit(1 if bad or not ok or not summary else 0)


if __name__ == "__main__":
    main()
