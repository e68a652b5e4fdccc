"""Hostile requests against a running `kaohe serve` (tests/e2e/serve_hostile.sh).

    serve_hostile.py PORT EVIL CANARY...

Each request is sent as raw bytes on its own connection; the writing side is
then closed and the answer read to its end (bounded). Each must get one of
the statuses its case allows, or a closed connection where the case allows
that ("closed"); no answer may hold a canary (the content of a file outside
the dataset's documents); and after every few cases `/` must still answer
200. Prints one line per case; exits 1 on the first broken expectation.
"""
import http.cookiejar
import re
import socket
import sys
import time
import urllib.request

port = int(sys.argv[1])
EVIL = sys.argv[2].encode()  # an upload's name that must never become a file's
canaries = [c.encode() for c in sys.argv[3:]]
base = "http://127.0.0.1:%d" % port
HOST = b"Host: 127.0.0.1:%d\r\n" % port


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def exchange(data, timeout=30):
    """Sends data, closes the writing side, returns (status or None, answer)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
    except OSError:
        pass  # the server may answer and close before reading it all
    try:
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    answer = b""
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    except ConnectionResetError:
        pass
    except socket.timeout:
        fail("no answer and no close within %d s" % timeout)
    s.close()
    if not answer:
        return None, answer
    m = re.match(rb"HTTP/1\.[01] (\d{3}) [^\r\n]*\r\n", answer)
    if not m:
        fail("an answer that is not HTTP: %r" % answer[:80])
    return int(m.group(1)), answer


def still_answers():
    with urllib.request.urlopen(base + "/", timeout=30) as r:
        if r.status != 200:
            fail("/ answered %d after hostile requests" % r.status)


# A session of our own, and its form token: some hostile bodies carry the
# right token, so that they get as far as the form decoding.
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = opener.open(base + "/month/2013-07", timeout=30).read().decode()
token = re.search(r'name="csrf" value="([0-9a-f]{32})"', page).group(1).encode()
session = [c.value for c in jar if c.name == "kaohe_session"][0].encode()
COOKIE = b"Cookie: kaohe_session=" + session + b"\r\n"


def get(target, extra=b""):
    return b"GET " + target + b" HTTP/1.1\r\n" + HOST + extra + b"\r\n"


def post(target, content_type, body, length=None, extra=b""):
    head = b"POST " + target + b" HTTP/1.1\r\n" + HOST + COOKIE + extra
    if content_type:
        head += b"Content-Type: " + content_type + b"\r\n"
    head += b"Content-Length: %d\r\n" % (len(body) if length is None else length)
    return head + b"\r\n" + body


def chunked_post(target, content_type, body, size=65536):
    out = b"POST " + target + b" HTTP/1.1\r\n" + HOST + COOKIE
    out += b"Content-Type: " + content_type + b"\r\nTransfer-Encoding: chunked\r\n\r\n"
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def multipart(parts, boundary=b"kaoheB", end=True):
    out = b""
    for name, filename, data in parts:
        out += b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + name + b'"'
        if filename is not None:
            out += b'; filename="' + filename + b'"\r\nContent-Type: text/csv'
        out += b"\r\n\r\n" + data + b"\r\n"
    return out + (b"--" + boundary + b"--\r\n" if end else b"")


MP = b"multipart/form-data; boundary=kaoheB"
FORM = b"application/x-www-form-urlencoded"
MAKE = b"/month/2013-07/make"
CLOSED = None
big = b"\0" * (40 << 20)

cases = [
    # malformed request lines and headers
    ("no request line at all", b"GARBAGE\r\n\r\n", {400, CLOSED}),
    ("a request line without version", b"GET /\r\n\r\n", {400, CLOSED}),
    ("HTTP/2.0 in plain text", b"GET / HTTP/2.0\r\n" + HOST + b"\r\n", {505, 400}),
    ("HTTP/0.9", b"GET / HTTP/0.9\r\n" + HOST + b"\r\n", {505, 400}),
    ("binary noise", bytes(range(256)) * 16, {400, CLOSED}),
    ("only line ends", b"\r\n" * 1000, {400, CLOSED}),
    ("no Host", b"GET / HTTP/1.1\r\n\r\n", {400, 403}),
    ("a foreign Host", get(b"/").replace(HOST, b"Host: evil.example\r\n"), {403}),
    ("two Hosts, a foreign one first", b"GET / HTTP/1.1\r\nHost: evil:1\r\n" + HOST + b"\r\n", {400, 403}),
    ("a header without colon", get(b"/", b"NoColonHere\r\n"), {400}),
    ("a 200 KB header", get(b"/", b"X-Big: " + b"a" * 200000 + b"\r\n"), {431, 400, 413}),
    ("5,000 headers", get(b"/", b"".join(b"X-%d: y\r\n" % i for i in range(5000))), {431, 400, 413}),
    ("a 100 KB URL", get(b"/" + b"a" * 100000), {414, 400}),
    ("a NUL in the request line", get(b"/x\0/../../secret.txt"), {400, 404}),
    ("an unknown method", b"FOO / HTTP/1.1\r\n" + HOST + b"\r\n", {405, 400, 501}),
    ("TRACE", b"TRACE / HTTP/1.1\r\n" + HOST + b"\r\n", {405}),
    ("OPTIONS *", b"OPTIONS * HTTP/1.1\r\n" + HOST + b"\r\n", {405, 400}),
    # bad percent-encoding
    ("bad percent-encoding", get(b"/%zz%%%2"), {400, 404}),
    ("a lone percent", get(b"/month/%"), {400, 404}),
    ("%00 in the path", get(b"/month/2013-07/doc/notice%00.txt"), {400, 404}),
    ("%00 in the query", get(b"/?token=%00"), {200, 400}),
    # traversal in every encoding
    ("../ as is", get(b"/../../../../etc/passwd"), {404, 400}),
    ("../ after a document", get(b"/month/2013-07/doc/../../../secret.txt"), {404, 400}),
    ("%2e%2e", get(b"/month/2013-07/doc/%2e%2e/%2e%2e/%2e%2e/secret.txt"), {404, 400}),
    ("%2E%2E%2F", get(b"/%2E%2E%2F%2E%2E%2Fsecret.txt"), {404, 400}),
    ("%252e%252e (twice)", get(b"/month/%252e%252e%252f%252e%252e%252fsecret.txt"), {404, 400}),
    ("overlong UTF-8 %c0%ae", get(b"/month/2013-07/doc/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt"), {404, 400}),
    ("overlong UTF-8 %c0%af", get(b"/month/2013-07/doc/..%c0%af..%c0%afsecret.txt"), {404, 400}),
    ("overlong UTF-8 %e0%80%ae", get(b"/%e0%80%ae%e0%80%ae/secret.txt"), {404, 400}),
    ("backslashes", get(b"/month/2013-07/doc/..\\..\\..\\secret.txt"), {404, 400}),
    ("%5c", get(b"/month/2013-07/doc/..%5c..%5c..%5csecret.txt"), {404, 400}),
    ("a township code with slashes", get(b"/township/01%2f..%2f..%2fsecret.txt"), {404, 400}),
    ("a township workbook with dots", get(b"/month/2013-07/doc/township/..%2f..%2f..%2fsecret.txt"), {404, 400}),
    ("an overlong period", get(b"/month/2013-0007/doc/notice"), {404}),
    ("an absolute URL", get(b"http://127.0.0.1:%d/../secret.txt" % port), {404, 400}),
    ("an absolute URL elsewhere", get(b"http://evil.example/etc/passwd"), {404, 400}),
    ("a file: URL", get(b"file:///etc/passwd"), {404, 400}),
    ("the dataset's own files", get(b"/rules.ini"), {404}),
    ("a data file by its path", get(b"/monthly/2013-07.csv"), {404}),
    # bodies: lies, limits, broken forms
    ("Content-Length says more than comes", post(MAKE, FORM, b"csrf=" + token, length=1000), {400, CLOSED}),
    ("Content-Length says less than comes", post(MAKE, FORM, b"csrf=x&date=2013-08-05" + get(b"/")[:20], length=6), {403, 400}),
    ("a negative Content-Length", post(MAKE, FORM, b"", length=-1), {400}),
    ("an enormous Content-Length", post(MAKE, FORM, b"", length=10 ** 22), {413, 400}),
    ("a 1 GB Content-Length, announced", post(MAKE, FORM, b"", length=1 << 30), {413}),
    ("a 40 MB multipart upload", post(MAKE, MP, multipart([(b"csrf", None, token), (b"f", b"a.csv", big)])), {413, CLOSED}),
    ("a chunked 40 MB urlencoded body", chunked_post(MAKE, FORM, b"csrf=" + token + b"&x=" + b"a" * (40 << 20)), {413, CLOSED}),
    ("a chunked 40 MB upload", chunked_post(MAKE, MP, multipart([(b"csrf", None, token), (b"f", b"a.csv", big)])), {413, CLOSED}),
    ("a chunk of 2^72 bytes", post(MAKE, FORM, b"", length=0).replace(b"Content-Length: 0", b"Transfer-Encoding: chunked") + b"ffffffffffffffffff\r\nabc\r\n0\r\n\r\n", {413, 400}),
    ("a malformed chunk size", post(MAKE, FORM, b"", length=0).replace(b"Content-Length: 0", b"Transfer-Encoding: chunked") + b"zz\r\nabc\r\n0\r\n\r\n", {400, CLOSED}),
    ("a field of 100 KB", post(MAKE, FORM, b"csrf=" + token + b"&date=" + b"9" * 102400), {413}),
    ("1,000 multipart parts", post(MAKE, MP, multipart([(b"csrf", None, token)] + [(b"f%d" % i, None, b"v") for i in range(1000)])), {413}),
    ("1,000 files", post(MAKE, MP, multipart([(b"csrf", None, token)] + [(b"f", b"%d.csv" % i, b"x") for i in range(1000)])), {413}),
    ("1,000 urlencoded fields", post(MAKE, FORM, b"&".join(b"k%d=v" % i for i in range(1000)) + b"&csrf=" + token), {413}),
    ("multipart without its closing boundary", post(MAKE, MP, multipart([(b"csrf", None, token), (b"f", b"a.csv", b"x")], end=False)), {400}),
    ("multipart with a wrong closing boundary", post(MAKE, MP, multipart([(b"csrf", None, token)]).replace(b"--kaoheB--", b"--kaoheX--")), {400}),
    ("multipart with another boundary throughout", post(MAKE, MP, multipart([(b"csrf", None, token)], boundary=b"other")), {400, 403}),
    ("multipart without a boundary", post(MAKE, b"multipart/form-data", b"0123456789"), {415, 400}),
    ("multipart with an empty boundary", post(MAKE, b"multipart/form-data; boundary=", b"0123456789"), {415, 400}),
    ("a name without '='", post(MAKE, FORM, b"csrf=" + token + b"&date"), {400}),
    ("percent-encoding broken in the body", post(MAKE, FORM, b"csrf=" + token + b"&date=%zz%c0%ae%"), {400}),
    ("a body of an unknown type", post(MAKE, b"application/json", b'{"csrf":"' + token + b'"}'), {415}),
    # uploads for import (a preview only: nothing is written to the dataset)
    ("an upload named with ../", post(b"/import", MP, multipart([(b"csrf", None, token), (b"month", None, b"2013-10"), (b"files", b"../../../../tmp/" + EVIL + b".csv", b"code,x\n")])), {200, 400}),
    ("an upload named with \\ and NUL", post(b"/import", MP, multipart([(b"csrf", None, token), (b"month", None, b"2013-10"), (b"files", b"..\\..\\" + EVIL + b"\0.csv", b"code,x\n")])), {200, 400}),
    ("an upload of another kind", post(b"/import", MP, multipart([(b"csrf", None, token), (b"month", None, b"2013-10"), (b"files", b"a.exe", b"MZ")])), {400}),
    ("an upload for a month that is a path", post(b"/import", MP, multipart([(b"csrf", None, token), (b"month", None, b"../../x"), (b"files", b"a.csv", b"x")])), {400}),
    ("a confirmation of an upload never made", post(b"/import/0123456789abcdef0123456789abcdef/confirm", FORM, b"csrf=" + token), {404}),
    ("a confirmation by a path", post(b"/import/..%2f..%2f..%2fetc/confirm", FORM, b"csrf=" + token), {404}),
    # answered at once from its headers, the body read and dropped
    ("a GET with a body", b"GET / HTTP/1.1\r\n" + HOST + b"Content-Length: 5\r\n\r\nhello", {200, 400}),
    ("Expect: 100-continue with 1 GB", post(MAKE, FORM, b"", length=1 << 30, extra=b"Expect: 100-continue\r\n"), {413, 417}),
]

for i, (name, data, allowed) in enumerate(cases):
    status, answer = exchange(data)
    shown = "closed" if status is None else str(status)
    print("%-45s %s" % (name, shown))
    if status not in allowed:
        fail("%s: answered %s, expected one of %s" % (name, shown, sorted(
            "closed" if a is None else str(a) for a in allowed)))
    for c in canaries:
        if c in answer:
            fail("%s: the answer holds the content of a file outside the documents" % name)
    if i % 5 == 4:
        still_answers()
still_answers()
print("ok: %d hostile requests answered with an error or a closed connection" % len(cases))

# Slowloris: connections that send half a request and stay. While they
# hang, the console still answers; they are closed by the client here (the
# server's own limit is its 60 s idle timeout, not waited for in a test).
half = []
for i in range(20):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET / HTTP/1.1\r\n" + HOST + b"X-Slow: " if i % 2 else
              post(MAKE, FORM, b"csrf=", length=1000))
    half.append(s)
start = time.time()
still_answers()
for s in half:
    s.sendall(b"a")  # a byte now and then keeps them alive
still_answers()
for s in half:
    s.close()
still_answers()
print("ok: 20 half requests held open, the console answered meanwhile (%.1f s)" % (time.time() - start))
