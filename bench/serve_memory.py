#!/usr/bin/python3
"""serve_memory.py: peak memory of the web console making a month (docs/performance.md).

    bench/serve_memory.py [--kaohe build/kaohe] [--townships 1500] [--repeat 3] [--work DIR]

Generates a dataset with bench/gen_bench.py (the same bytes every time) and
measures, --repeat times each, alternating:

  kaohe month DATASET 2013-07 -o OUT        peak RSS from /usr/bin/time -v
  kaohe serve DATASET --port 0              started afresh, then as a
                                            browser would: GET /month/2013-07
                                            (the page, and the session's form
                                            token), POST /month/2013-07/make;
                                            peak RSS from /proc/PID/status
                                            VmHWM after each step

Each run works on a copy of the dataset of its own (both register the
number they issue in it). Reports the medians and the ratio of the
console's peak to the command's: the target (issue 19) is at most 1.5.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
EPOCH = "1378339200"  # 2013-09-05: every run writes the same bytes
TARGET = 1.5


def vm_hwm_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1)) / 1024


def command_peak(kaohe, dataset, out, env):
    run = subprocess.run(["/usr/bin/time", "-v", kaohe, "month", dataset, "2013-07", "-o", out],
                         capture_output=True, text=True, env=env)
    if run.returncode != 0:
        sys.exit(f"serve_memory.py: kaohe month failed:\n{run.stderr}")
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 1024


def console_peaks(kaohe, dataset, folder, env):
    """(after start, after the month's page, after making the month) in MB."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    err = open(os.path.join(folder, "serve.err"), "w+")
    p = subprocess.Popen([kaohe, "serve", dataset, "--port", "0"], cwd=folder, stderr=err, env=env)
    try:
        port = None
        for _ in range(600):
            err.seek(0)
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", err.read())
            if m:
                port = int(m.group(1))
                break
            time.sleep(0.05)
        if not port:
            sys.exit("serve_memory.py: kaohe serve did not start")
        started = vm_hwm_mb(p.pid)
        base = f"http://127.0.0.1:{port}"
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = browser.open(base + "/month/2013-07", timeout=600).read().decode()
        paged = vm_hwm_mb(p.pid)
        token = re.search(r'name="csrf" value="([0-9a-f]{32})"', page).group(1)
        made = browser.open(base + "/month/2013-07/make", data=f"csrf={token}".encode(),
                            timeout=600).read().decode()
        if "已生成" not in made:
            sys.exit("serve_memory.py: the console did not make the month")
        return started, paged, vm_hwm_mb(p.pid)
    finally:
        p.terminate()
        p.wait()
        err.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kaohe", default=os.path.join(SRC, "build/kaohe"))
    ap.add_argument("--townships", type=int, default=1500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", help="default: a new temporary folder, removed at the end")
    a = ap.parse_args()
    kaohe = os.path.abspath(a.kaohe)
    work = a.work or tempfile.mkdtemp(prefix="kaohe-servemem-")
    dataset = os.path.join(work, f"county-{a.townships}")
    if not os.path.isdir(dataset):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_bench.py"), "--townships",
                        str(a.townships), dataset], check=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    command, console = [], []
    for i in range(a.repeat):
        copy = os.path.join(work, f"command-{i}")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(dataset, copy)
        out = os.path.join(work, f"command-out-{i}")
        shutil.rmtree(out, ignore_errors=True)
        command.append(command_peak(kaohe, copy, out, env))
        copy = os.path.join(work, f"console-{i}")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(dataset, copy)
        console.append(console_peaks(kaohe, copy, os.path.join(work, f"console-run-{i}"), env))
        print(f"run {i + 1}: kaohe month {command[-1]:.1f} MB; kaohe serve "
              f"{console[-1][0]:.1f} MB started, {console[-1][1]:.1f} MB after the page, "
              f"{console[-1][2]:.1f} MB after making the month")
    cmd = statistics.median(command)
    started, paged, made = (statistics.median(c[k] for c in console) for k in range(3))
    ratio = made / cmd
    print()
    print(f"| {a.townships} townships, 2013-07, median of {a.repeat} | peak RSS MB |")
    print("|---|---:|")
    print(f"| `kaohe month` | {cmd:.1f} |")
    print(f"| `kaohe serve`, started | {started:.1f} |")
    print(f"| `kaohe serve`, after GET /month/2013-07 | {paged:.1f} |")
    print(f"| `kaohe serve`, after POST /month/2013-07/make | {made:.1f} |")
    print(f"| ratio serve / month | {ratio:.2f} (target ≤ {TARGET}: "
          f"{'met' if ratio <= TARGET else 'NOT met'}) |")
    if not a.work:
        shutil.rmtree(work)
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
