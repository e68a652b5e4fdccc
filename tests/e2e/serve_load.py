"""Load on a running `kaohe serve` (tests/e2e/serve_load.sh).

    serve_load.py PORT EXPECTED_DIR

EXPECTED_DIR holds score-YYYY-MM.json (`kaohe score --format json` of each
month) and docs-2013-06/ (the 2013-06 documents as made before the load).
500 GET requests from 20 concurrent clients over the sample's pages, the
stylesheet and the 2013-06 documents, while one more client makes 2013-07's
documents through the console again and again (POST /month/2013-07/make).
Every request must be answered with its expected status; every month page's
ranking must equal kaohe score's; every 2013-06 document must come back
byte for byte; every make must succeed (or say 忙, never anything else).
No timing is asserted.
"""
import concurrent.futures
import hashlib
import http.cookiejar
import json
import os
import re
import sys
import threading
import urllib.error
import urllib.request

port = int(sys.argv[1])
expected_dir = sys.argv[2]
base = "http://127.0.0.1:%d" % port
TIMEOUT = 300  # generous: the sanitizer pass is slow; no timing is checked

scores = {}
for name in os.listdir(expected_dir):
    m = re.fullmatch(r"score-(\d{4}-\d{2})\.json", name)
    if m:
        with open(os.path.join(expected_dir, name), encoding="utf-8") as f:
            scores[m.group(1)] = json.load(f)
months = sorted(scores)
townships = [(t["code"], t["name"]) for t in scores[months[0]]["townships"]]
docs = {}
for kind, name in (("notice", "督查通报_2013-06.pdf"), ("county", "考评得分汇总_2013-06.xlsx"),
                   ("json", "scores_2013-06.json")):
    with open(os.path.join(expected_dir, "docs-2013-06", name), "rb") as f:
        docs[kind] = hashlib.sha256(f.read()).hexdigest()


def fetch(path, data=None, opener=None):
    request = urllib.request.Request(base + path, data=data)
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=TIMEOUT) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


ROW = re.compile(r'<td class="num">(\d+)</td><td><a href="/township/([^"]+)">([^<]+)</a></td>'
                 r'.*?<td class="num total">([^<]+)</td>', re.S)


def check_ranking(period, page):
    rows = ROW.findall(page)
    expected = scores[period]["townships"]
    assert len(rows) == len(expected), "%s: %d rows, kaohe score has %d" % (
        period, len(rows), len(expected))
    by_code = {t["code"]: t for t in expected}
    for rank, code, name, total in rows:
        t = by_code[code]
        got = (int(rank), name, float(total))
        assert got == (t["rank"], t["name"], t["total"]), "%s %s: %s, kaohe score %s" % (
            period, code, got, t)


# The 500 requests: every kind of page, round-robin.
plan = []
kinds = (["month"] * 4 + ["township"] * 2 + ["quarter", "dataset", "style"] + ["doc"] * 2)
for i in range(500):
    kind = kinds[i % len(kinds)]
    if kind == "month":
        plan.append(("month", months[i % len(months)]))
    elif kind == "township":
        plan.append(("township", townships[i % len(townships)]))
    elif kind == "quarter":
        plan.append(("quarter", "2013Q%d" % (1 + i % 3)))
    elif kind == "doc":
        plan.append(("doc", ("notice", "county", "json")[i % 3]))
    else:
        plan.append((kind, None))


def one(item):
    kind, arg = item
    if kind == "month":
        status, body = fetch("/month/" + arg)
        assert status == 200, "/month/%s answered %d" % (arg, status)
        check_ranking(arg, body.decode("utf-8"))
    elif kind == "township":
        status, body = fetch("/township/" + arg[0])
        assert status == 200, "/township/%s answered %d" % (arg[0], status)
        assert (arg[1] + " 2013年各月考评").encode() in body, "/township/%s lacks its title" % arg[0]
    elif kind == "quarter":
        status, body = fetch("/quarter/" + arg)
        assert status == 200, "/quarter/%s answered %d" % (arg, status)
        assert "季度考评奖惩".encode() in body
    elif kind == "dataset":
        status, body = fetch("/")
        assert status == 200 and "某某县2013年考评数据".encode() in body, "/ answered %d" % status
    elif kind == "style":
        status, body = fetch("/style.css")
        assert status == 200 and body, "/style.css answered %d" % status
    else:
        status, body = fetch("/month/2013-06/doc/" + arg)
        assert status == 200, "/month/2013-06/doc/%s answered %d" % (arg, status)
        assert hashlib.sha256(body).hexdigest() == docs[arg], "2013-06 %s differs" % arg
    return kind


# The maker: its own browser session, making 2013-07 until the reads end.
jar = http.cookiejar.CookieJar()
maker = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
status, page = fetch("/month/2013-07", opener=maker)
token = re.search(rb'name="csrf" value="([0-9a-f]{32})"', page).group(1)
done = threading.Event()
made = {"ok": 0, "busy": 0, "other": []}


def make_repeatedly():
    while not done.is_set() or made["ok"] == 0:
        status, body = fetch("/month/2013-07/make", b"csrf=" + token, opener=maker)
        if status == 200 and "2013年7月督查通报和考评表已生成".encode() in body:
            made["ok"] += 1
        elif status == 409 and "忙：".encode() in body:
            made["busy"] += 1
        else:
            made["other"].append(status)
            return


makers = [threading.Thread(target=make_repeatedly) for _ in range(2)]
for t in makers:
    t.start()
answered = {}
failures = []
with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
    for future in concurrent.futures.as_completed([pool.submit(one, item) for item in plan]):
        try:
            kind = future.result()
            answered[kind] = answered.get(kind, 0) + 1
        except Exception as e:  # every failure counts, the first few are shown
            failures.append(repr(e))
done.set()
for t in makers:
    t.join()

print("answered: %s" % ", ".join("%s %d" % kv for kv in sorted(answered.items())))
print("made 2013-07 %d times meanwhile (%d times 忙)" % (made["ok"], made["busy"]))
if failures:
    print("FAIL: %d of 500 requests went wrong; first: %s" % (len(failures), failures[:3]))
    sys.exit(1)
if made["other"] or made["ok"] == 0:
    print("FAIL: making 2013-07 answered %s" % made["other"])
    sys.exit(1)
assert sum(answered.values()) == 500
print("ok: 500 requests from 20 clients while the month was made: all answered, none wrong")
