#!/usr/bin/env bash
# Runs the examples of the user's guide (docs/用户手册.md) so they cannot rot.
#
# In the guide, in document order:
#   ```sh            a runnable example: must exit 0
#   ```sh status=N   a runnable example that must exit N (e.g. kaohe check
#                    on a broken file: 1)
#   ```sh stop=N     a runnable example that runs until stopped (kaohe
#                    serve): Ctrl+C (SIGINT) after N seconds, then as above
#   ```text          directly after a runnable example (blank lines between
#                    allowed): what it prints, stdout and stderr together,
#                    exactly; a line "…" stands for any number of lines
#   <!-- sh ... -->  a hidden step (an HTML comment, invisible when the guide
#                    is rendered), run like an example: it plays the user's
#                    hands, e.g. an edit made in Notepad
# Other fenced blocks (ini, csv, plain ``` …) are illustrations, not run.
#
# The messages the guide quotes outside examples (the first column of a
# table headed "信息", and a warning quoted as 给出"…"的警告) must be ones
# this build can print: each literal piece of one, between the placeholders
# (…, N, M, numbers, example values in “”), must stand in kaohe's sources.
#
# Every step runs with bash -e in one working folder, in order, so one
# example can use what an earlier one made. The folder starts with
# county-2013, a copy of samples/county-2013; `kaohe` is on PATH, and
# SOURCE_DATE_EPOCH is fixed. A step calling a kaohe command that this
# build does not have (`kaohe CMD --help` fails) is skipped, and said so.
set -u
: "${KAOHE:?path of the kaohe program}" "${KAOHE_SOURCE_DIR:?}"
guide="$KAOHE_SOURCE_DIR/docs/用户手册.md"
sample="$KAOHE_SOURCE_DIR/samples/county-2013"
[ -f "$guide" ] && [ -d "$sample" ] || { echo "no guide or sample: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/run"
ln -s "$(cd "$(dirname "$KAOHE")" && pwd)/$(basename "$KAOHE")" "$work/bin/kaohe"
cp -r "$sample" "$work/run/county-2013"

PATH="$work/bin:$PATH" SOURCE_DATE_EPOCH=1375660800 LC_ALL=C.UTF-8 \
  exec /usr/bin/python3 - "$guide" "$work/run" "$KAOHE_SOURCE_DIR/src" <<'PY'
import glob, os, re, signal, subprocess, sys

guide, cwd, src = sys.argv[1], sys.argv[2], sys.argv[3]
lines = open(guide, encoding="utf-8").read().split("\n")

def quoted_messages():
    """(line number, message) of each message the guide quotes outside examples."""
    in_table = False
    for n, line in enumerate(lines, 1):
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if cells[0] == "信息":
                in_table = True
            elif in_table and not set(cells[0]) <= set("-: "):
                for m in re.findall(r"`([^`]+)`", cells[0]):
                    yield n, m
        else:
            in_table = False
        for m in re.findall(r'给出"([^"]+)"的警告', line):
            yield n, m

sources = "".join(open(f, encoding="utf-8").read()
                  for f in glob.glob(src + "/**/*.c", recursive=True))
message_failures = 0
for n, message in quoted_messages():
    pieces = re.split(r"…+|“[^”]*”|\b[NM]\b|[0-9][0-9-]*|\[[a-z.]+\]", message)
    for piece in pieces:
        piece = piece.strip(" ：:，,/")
        if len(piece) >= 2 and piece not in sources:
            message_failures += 1
            print(f"FAIL {guide}:{n}: the guide quotes “{message}”; no message of kaohe says “{piece}”")

# Steps: [kind, code or text, status, line number]; kind is run, setup, expect.
steps, i = [], 0
last_closed_run = None  # index in steps of a run block whose fence just closed
while i < len(lines):
    line = lines[i]
    fence = re.match(r"^```(\S*)\s*(.*)$", line)
    if line.startswith("<!-- sh"):
        start, body = i, [line[len("<!-- sh"):]]
        while "-->" not in body[-1]:
            i += 1
            body.append(lines[i])
        body[-1] = body[-1][: body[-1].index("-->")]
        steps.append(["setup", "\n".join(body).strip() + "\n", 0, start + 1])
        last_closed_run = None
    elif fence:
        lang, info, start = fence.group(1), fence.group(2), i
        body = []
        i += 1
        while not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        text = "\n".join(body) + "\n"
        if lang == "sh":
            m = re.search(r"status=(\d+)", info)
            stop = re.search(r"stop=(\d+)", info)
            steps.append(["run", text, int(m.group(1)) if m else 0, start + 1,
                          int(stop.group(1)) if stop else None])
            last_closed_run = len(steps) - 1
            i += 1
            continue
        if lang == "text" and last_closed_run is not None:
            steps.append(["expect", text, last_closed_run, start + 1])
        last_closed_run = None
    elif line.strip():
        last_closed_run = None
    i += 1

def known(cmd, cache={}):
    if cmd not in cache:
        cache[cmd] = subprocess.run(["kaohe", cmd, "--help"], capture_output=True).returncode == 0
    return cache[cmd]

def matches(want, got):
    """Exact match, line by line, where a want line "…" eats any lines."""
    if not want:
        return not got
    if want[0].strip() == "…":
        return any(matches(want[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and want[0] == got[0] and matches(want[1:], got[1:])

def clean(text):
    out = [l.rstrip() for l in text.split("\n")]
    while out and not out[-1]:
        out.pop()
    return out

passed = failed = skipped = 0
outputs, skipped_runs = {}, set()
def run(text, stop):
    """The step's exit status and output; with stop, Ctrl+C after stop seconds."""
    p = subprocess.Popen(["stdbuf", "-oL", "bash", "-e", "-o", "pipefail", "-c", text], cwd=cwd,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=stop if stop is not None else 600)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGINT if stop is not None else signal.SIGKILL)
        out, _ = p.communicate()
    return p.returncode, out.decode("utf-8", "replace")

for n, (kind, text, status, lineno, *stop) in enumerate(steps):
    if kind == "expect":
        if status in skipped_runs:
            continue
        want, got = clean(text), clean(outputs[status])
        if matches(want, got):
            passed += 1
        else:
            failed += 1
            print(f"FAIL {guide}:{lineno}: the output shown differs from what the example prints:")
            print("--- shown\n" + "\n".join(want) + "\n--- printed\n" + "\n".join(got))
        continue
    missing = [c for c in re.findall(r"\bkaohe ([a-z]+)", text) if not known(c)]
    if missing:
        skipped += 1
        skipped_runs.add(n)
        print(f"skipped {guide}:{lineno}: this kaohe has no command {missing[0]}")
        continue
    # stdout line-buffered, so the order of the lines is what a terminal shows.
    returncode, outputs[n] = run(text, stop[0] if stop else None)
    if returncode == status:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {guide}:{lineno}: exit status {returncode}, want {status}:")
        print(text + "--- printed\n" + outputs[n])
failed += message_failures
print(f"guide_examples: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
