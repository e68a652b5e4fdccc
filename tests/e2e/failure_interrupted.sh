#!/usr/bin/env bash
# Failure injection (issues 8, 15): runs killed with SIGKILL part-way. A
# county of 3,000 townships (the sample's rows repeated under new codes)
# makes `kaohe month` long enough to be killed at chosen moments: as soon as
# its staging folder exists, after the notice, after a fifteenth and two
# thirds of the township workbooks, and during the commit: once the earlier
# folder's delivery log and mails are carried into the new folder, and
# once the new folder has taken OUTDIR's place.
# After every kill OUTDIR must be, byte for byte and file for file, either
# the earlier run's folder or the finished new run's (never a mix, no
# partial document, no temporary name), with the earlier folder's delivery
# log and mails in both; the next run must finish, clear the killed runs'
# staging folders and give exactly the new documents.
# `kaohe quarter --force` over an earlier archive is killed the same way
# (staging made, JSON, PDF, workbook, SHA256SUMS written): the archive must
# be the old one byte for byte, or — killed after the switch — the complete
# new one with the old kept aside; a first archive killed part-way must not
# exist at all.
source "$(dirname "$0")/lib/common.bash"
export SOURCE_DATE_EPOCH=1378339200
py=/usr/bin/python3

"$KAOHE" quarter --help >/dev/null 2>&1 || fail "'kaohe quarter --help' does not run: the program does not start"
[ -x "$py" ] || skip "$py is missing"

# 3,000 townships; 500 for a sanitizer build, three times slower, so the
# sanitizer pass of the suite stays short (the plain pass runs 3,000).
n=3000
if sanitized_build; then
  n=500
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# ---- a county of $n townships ------------------------------------------------
"$py" - "$sample" big "$n" <<'PY'
import csv, os, shutil, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out + "/monthly")
shutil.copy(src + "/rules.ini", out + "/rules.ini")
def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))
def write(path, header, body):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)
reg = rows(src + "/townships.csv")
write(out + "/townships.csv", reg[0],
      [["T%05d" % (i + 1), "%s%05d" % (r[1], i + 1)] + r[2:]
       for i, r in ((i, reg[1 + i % (len(reg) - 1)]) for i in range(n))])
for name in os.listdir(src + "/monthly"):
    m = rows(src + "/monthly/" + name)
    write(out + "/monthly/" + name, m[0],
          [["T%05d" % (i + 1)] + m[1 + i % (len(m) - 1)][1:] for i in range(n)])
PY

# ---- the killer -------------------------------------------------------------
# killer.py WHAT COUNT CMD...: runs CMD and kills it with SIGKILL once COUNT
# paths match WHAT: a glob (hidden names spelt out), or "moved:DIR", which
# matches once DIR is another folder than at the start. Prints "killed",
# "finished" or "failed N".
cat >killer.py <<'PY'
import glob, os, signal, subprocess, sys, time
what, count, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def inode(path):
    try:
        return os.lstat(path).st_ino
    except FileNotFoundError:
        return None

if what.startswith("moved:"):
    top = what[len("moved:"):]
    before = inode(top)
    def matches():
        return int(inode(top) != before)
else:
    def matches():
        return len(glob.glob(what))

p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
start = time.monotonic()
while p.poll() is None:
    if matches() >= count:
        p.send_signal(signal.SIGKILL)
        p.wait()
        print("killed")
        sys.exit(0)
    if time.monotonic() - start > 600:
        p.kill()
        sys.exit("killer.py: the run took over 600 s")
    time.sleep(0.001)
print("finished" if p.returncode == 0 else "failed %d" % p.returncode)
PY

# sums DIR: "sha256  relative path" of every file under DIR.
sums() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
}

# ---- kaohe month -------------------------------------------------------------
"$KAOHE" month big 2013-07 -o ref --date 2013-08-05 2>err || { cat err; fail "the reference run failed"; }
"$KAOHE" month big 2013-07 -o out --date 2013-08-01 2>err || { cat err; fail "the earlier run failed"; }
# What `kaohe mail` left in the earlier folder carries over.
mkdir out/邮件
printf 'a mail\n' >out/邮件/T00001_城关镇00001.eml
printf 'a log\n' >out/mail-log.tsv
cp -r out/邮件 out/mail-log.tsv ref/
cp -a out earlier
sums ref >ref.sums
sums out >old.sums
cmp -s ref.sums old.sums && fail "the earlier and the new run give the same files: nothing to tell apart"

landed=0
staging='.out.kaohe-staging-*'
for point in "$staging 1" "$staging/*.pdf 1" "$staging/*/*.xlsx $((n / 15))" \
  "$staging/*/*.xlsx $((n * 2 / 3))" "$staging/mail-log.tsv 1" "moved:out 1"; do
  what=${point% *} count=${point##* }
  result=$("$py" killer.py "$what" "$count" "$KAOHE" month big 2013-07 -o out --date 2013-08-05 --jobs 2)
  case $result in
  killed) landed=$((landed + 1)) ;;
  finished) echo "note: kaohe month finished before $what matched $count" ;;
  *) fail "kaohe month: $result" ;;
  esac
  sums out >now.sums
  if cmp -s now.sums old.sums; then
    state="the earlier folder"
  elif cmp -s now.sums ref.sums; then
    state="the new folder"
  else
    diff old.sums now.sums | head
    fail "after a kill at $what x$count: out is neither the earlier folder nor the new one"
  fi
  echo "ok: kaohe month $result at $what x$count: out is $state"
  # The next kill starts from the earlier documents again; the killed runs'
  # staging folders stay, for the last run to clear.
  if [ "$state" != "the earlier folder" ]; then
    rm -rf out
    cp -a earlier out
  fi
done
[ "$landed" -ge 4 ] || fail "only $landed of the kills landed during a run"

[ -n "$(find . -maxdepth 1 -name "$staging")" ] || fail "the killed runs left no staging folder to clear"
"$KAOHE" month big 2013-07 -o out --date 2013-08-05 2>err || { cat err; fail "the run after the kills failed"; }
sums out | cmp -s - ref.sums || fail "the run after the kills does not give the new documents"
[ -z "$(find . -maxdepth 1 -name "$staging")" ] || fail "the killed runs' staging folders are still there"
echo "ok: the next kaohe month finished with exactly the new documents and cleared the staging folders"

# ---- kaohe quarter -------------------------------------------------------------
"$KAOHE" quarter big 2013Q3 -o archive/2013Q3 --date 2013-10-01 2>err || { cat err; fail "the earlier archive failed"; }
sums archive/2013Q3 >qold.sums
qlanded=0
qstaging='archive/.2013Q3.staging-*'
for point in "$qstaging 1" "$qstaging/scores_*.json 1" "$qstaging/*.pdf 1" "$qstaging/*.xlsx 1" \
  "$qstaging/SHA256SUMS 1" "archive/2013Q3.replaced-* 1"; do
  what=${point% *} count=${point##* }
  result=$("$py" killer.py "$what" "$count" "$KAOHE" quarter big 2013Q3 -o archive/2013Q3 --force --date 2013-10-10)
  case $result in
  killed) qlanded=$((qlanded + 1)) ;;
  finished) echo "note: kaohe quarter finished before $what matched $count" ;;
  *) fail "kaohe quarter: $result" ;;
  esac
  # Nothing but the archive and old archives kept aside is visible.
  extra=$(find archive -mindepth 1 -maxdepth 1 ! -name '.*' ! -name 2013Q3 ! -name '2013Q3.replaced-*')
  [ -z "$extra" ] || fail "after a kill at $what: unexpected $extra"
  if sums archive/2013Q3 | cmp -s - qold.sums; then
    state="the earlier archive, byte for byte"
  else
    (cd archive/2013Q3 && sha256sum -c --quiet SHA256SUMS) ||
      fail "after a kill at $what: archive/2013Q3 is neither the earlier nor a complete new archive"
    aside=$(find archive -maxdepth 1 -name '2013Q3.replaced-*' | head -1)
    [ -n "$aside" ] && sums "$aside" | cmp -s - qold.sums ||
      fail "after a kill at $what: a new archive is in place but the earlier one is not kept aside intact"
    state="the complete new archive, the earlier kept aside"
    rm -rf archive/2013Q3
    mv "$aside" archive/2013Q3
  fi
  rm -rf archive/2013Q3.replaced-*
  echo "ok: kaohe quarter $result at $what: $state"
done
[ "$qlanded" -ge 2 ] || fail "only $qlanded of the quarter kills landed during a run"

# A first archive killed part-way does not exist at all.
result=$("$py" killer.py 'archive/.2013Q2.staging-*/*.pdf' 1 "$KAOHE" quarter big 2013Q2 -o archive/2013Q2)
if [ "$result" = killed ]; then
  [ ! -e archive/2013Q2 ] || fail "a first archive killed part-way is visible"
  echo "ok: a first archive killed part-way is not there"
fi
"$KAOHE" quarter big 2013Q3 -o archive/2013Q3 --force --date 2013-10-10 2>err ||
  { cat err; fail "the quarter run after the kills failed"; }
(cd archive/2013Q3 && sha256sum -c --quiet SHA256SUMS) || fail "the archive after the kills does not check"
[ -z "$(find archive -name '.2013Q3.staging-*')" ] || fail "the killed quarter runs' staging folders are still there"
echo "ok: the next kaohe quarter archived completely and cleared the staging folders"
