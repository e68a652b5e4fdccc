#!/usr/bin/python3
"""make_sample.py: writes the sample dataset samples/county-2013.

    make_sample.py [--out DIR] [--check]

A fictional county, 某某县, year 2013: 14 townships reporting January to
September, built so that the July assessment reproduces the figures of the
county's September speech. The July figures are fixed by hand below; the
other months drift from them. Everything is deterministic (one seeded
random generator), so running this again gives byte-identical files.

--check scores the written dataset with the reference implementation
(tests/reference/kaohe_ref.py), prints every samples/make_sample.py figure and exits 1 if
one of them does not hold.
"""

import argparse
import csv
import io
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# code, name, contact, has email, population-database records in July
TOWNSHIPS = [
    ("01", "城关镇", "张建国", True, 62000),
    ("02", "新集镇", "李秀兰", True, 34000),
    ("03", "石桥镇", "王志强", True, 29000),
    ("04", "河口镇", "刘海燕", True, 24000),
    ("05", "柳林乡", "陈国华", True, 18000),
    ("06", "白马乡", "杨丽娟", True, 16500),
    ("07", "三河乡", "赵永刚", True, 15800),
    ("08", "杨庄乡", "黄淑芬", True, 14200),
    ("09", "王集乡", "周明亮", True, 13600),
    ("10", "高店乡", "吴桂英", True, 12900),
    ("11", "李寨乡", "徐建军", True, 12100),
    ("12", "黄土岭乡", "孙晓红", False, 11300),
    ("13", "青山乡", "马德胜", True, 10400),
    ("14", "双庙乡", "朱春梅", False, 9800),
]
N = len(TOWNSHIPS)

# July figures per township, in registry order.
# Sex ratio at birth, January-July (boys per 100 girls).
SEX_RATIO_JUL = [131, 128, 122, 139, 118, 104, 126, 146, 113, 121, 135, 109, 124, 116]
# Free pre-pregnancy checks, January-July, as % of the annual task; the
# July target is 7/12 x 80% = 46.67%: 王集乡 and 双庙乡 fall below it.
PREPREG_PCT_JUL = [58.4, 55.2, 61.7, 52.3, 63.1, 49.8, 57.6, 54.9, 41.3, 60.2, 51.7, 56.5, 62.4, 38.6]
# Main data items complete, %: 石桥镇 and 黄土岭乡 below 95.
DB_COMPLETE_JUL = [97.82, 96.45, 93.76, 98.13, 97.21, 99.04, 96.88, 95.63, 97.57, 98.46, 96.12, 94.58, 98.77, 97.35]
# ID numbers entered, %: none at 95, three below 90 (城关镇 lowest, 73.15).
# 河口镇's figure is adjusted below so the county lands on 84.71.
ID_ENTRY_JUL = [73.15, 75.84, 81.27, 90.90, 91.35, 90.26, 92.12, 90.97, 93.21, 90.43, 91.78, 90.65, 92.64, 94.52]
# Duplicate ID numbers, % of those entered; 河口镇 adjusted to county 0.86.
ID_DUP_JUL = [0.92, 1.12, 0.74, 0.80, 0.65, 1.31, 0.58, 0.97, 0.71, 0.83, 1.05, 0.62, 0.49, 0.77]
# Only-child health fee paid, % of due, per month (100 unless listed): the
# veto item with deadline 2013-09-15.
FEE_SHORT = {
    3: {"10": 96.5},
    6: {"02": 97.0, "13": 98.5},
    7: {"02": 95.2, "08": 97.8, "10": 93.5, "12": 88.0},
    8: {"10": 98.2, "12": 93.0},
    9: {"12": 96.4},
}

MONTHS = range(1, 10)
JULY = 7
SEX_RATIO_COUNTY_GIRLS = 1200  # girls born January-July, county-wide
SEX_RATIO_COUNTY_BOYS = 1506   # 1506 / 1200 = 125.5 %


# ---------------------------------------------------------------- figures

def split(total, weights):
    """total split into integers in proportion to weights (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def births(rng):
    """births[m][t] = (boys, girls) for months 1..9."""
    records = [t[4] for t in TOWNSHIPS]
    girls = split(SEX_RATIO_COUNTY_GIRLS, records)
    boys = [round(g * r / 100) for g, r in zip(girls, SEX_RATIO_JUL)]
    boys[0] += SEX_RATIO_COUNTY_BOYS - sum(boys)  # 城关镇 takes the rounding
    season = [1.10, 0.85, 1.00, 0.95, 1.00, 1.05, 1.10]
    out = {m: [None] * N for m in MONTHS}
    for t in range(N):
        weights = [w * rng.uniform(0.9, 1.1) for w in season]
        b = split(boys[t], weights)
        g = split(girls[t], weights)
        for m in range(1, JULY + 1):
            out[m][t] = (b[m - 1], g[m - 1])
        for m in (8, 9):
            gm = max(1, round(girls[t] / 7 * rng.uniform(0.85, 1.15)))
            bm = round(gm * SEX_RATIO_JUL[t] / 100 * rng.uniform(0.92, 1.05))
            out[m][t] = (bm, gm)
    return out


def prepreg(rng):
    """(annual task per township, checked[m][t])."""
    tasks = [round(t[4] / 45, -1) for t in TOWNSHIPS]
    season = [0.6, 0.7, 1.2, 1.2, 1.1, 1.0, 1.0]
    checked = {m: [None] * N for m in MONTHS}
    for t in range(N):
        ytd = round(tasks[t] * PREPREG_PCT_JUL[t] / 100)
        parts = split(ytd, [w * rng.uniform(0.85, 1.15) for w in season])
        for m in range(1, JULY + 1):
            checked[m][t] = parts[m - 1]
        for m in (8, 9):
            checked[m][t] = round(tasks[t] / 12 * PREPREG_PCT_JUL[t] / 58.3 * rng.uniform(0.8, 1.2))
    return [int(x) for x in tasks], checked


def database(rng):
    """stock[m][t] = (records, complete, id_entered, id_duplicates)."""
    records = [t[4] for t in TOWNSHIPS]
    complete = [round(r * p / 100) for r, p in zip(records, DB_COMPLETE_JUL)]
    entered = [round(r * p / 100) for r, p in zip(records, ID_ENTRY_JUL)]
    # 河口镇 (index 3) takes up what the county needs: 84.71% entered.
    entered[3] += round(sum(records) * 0.8471) - sum(entered)
    dups = [round(e * p / 100) for e, p in zip(entered, ID_DUP_JUL)]
    dup_need = round(sum(entered) * 0.0086)
    dups[3] += dup_need - sum(dups)
    stock = {JULY: list(zip(records, complete, entered, dups))}
    for t in range(N):
        gain_id = rng.uniform(0.25, 0.8)    # points per month
        gain_db = rng.uniform(0.05, 0.3)
        growth = rng.uniform(0.001, 0.003)  # records per month
        for m in MONTHS:
            if m == JULY:
                continue
            r = round(records[t] * (1 + growth * (m - JULY)))
            c_pct = min(99.6, DB_COMPLETE_JUL[t] + gain_db * (m - JULY))
            e_pct = min(97.5, entered[t] / records[t] * 100 + gain_id * (m - JULY))
            e = round(r * e_pct / 100)
            d_pct = max(0.2, dups[t] / entered[t] * 100 - 0.02 * (m - JULY) + rng.uniform(-0.03, 0.03))
            stock.setdefault(m, [None] * N)[t] = (r, round(r * c_pct / 100), e, round(e * d_pct / 100))
    return stock


def fees(rng):
    """fee[m][t] = (due, paid) in yuan, year to date: 10 yuan per child a month."""
    children = [round(t[4] * rng.uniform(0.026, 0.034)) for t in TOWNSHIPS]
    out = {}
    for m in MONTHS:
        row = []
        for t, (code, *_rest) in enumerate(TOWNSHIPS):
            due = children[t] * 10 * m
            pct = FEE_SHORT.get(m, {}).get(code, 100.0)
            row.append((due, due if pct == 100.0 else int(round(due * pct / 100, -1))))
        out[m] = row
    return out


# ---------------------------------------------------------------- files

FIELDS = [
    ("births_male", "出生男婴数"),
    ("births_female", "出生女婴数"),
    ("prepreg_checked", "孕前优生健康检查人数"),
    ("db_records", "人口数据库记录数"),
    ("db_complete", "主要数据项完整记录数"),
    ("id_entered", "已录入身份证号码人数"),
    ("id_duplicates", "身份证号码重复数"),
    ("fee_due", "独生子女保健费应兑现金额"),
    ("fee_paid", "独生子女保健费已兑现金额"),
]

RULES = """\
# 某某县2013年人口计生重点工作月考评方案（样例数据，纯属虚构）
# 由 samples/make_sample.py 生成，请勿手工修改；修改后重新运行该脚本。

[assessment]
title    = 人口计生重点工作月考评
county   = 某某县
# 发文机关
issuer   = 某某县人口和计划生育局
year     = 2013

# 各乡镇每月报送的数据项：label 为导出表格时使用的中文列名，help 为填报说明；
# integer = true：只能填整数；cumulative = true：累计数，不能比上次报送的少
[field.births_male]
label   = 出生男婴数
help    = 本月出生的男婴数
integer = true

[field.births_female]
label   = 出生女婴数
help    = 本月出生的女婴数
integer = true

[field.prepreg_checked]
label   = 孕前优生健康检查人数
help    = 本月接受免费孕前优生健康检查的人数
integer = true

[field.db_records]
label   = 人口数据库记录数
help    = 截至本月底人口数据库中的户籍人口记录数
integer = true

[field.db_complete]
label   = 主要数据项完整记录数
help    = 截至本月底主要数据项填写完整的记录数
integer = true

[field.id_entered]
label      = 已录入身份证号码人数
help       = 截至本月底累计已录入身份证号码的户籍人口数
integer    = true
cumulative = true

[field.id_duplicates]
label   = 身份证号码重复数
help    = 截至本月底身份证号码重复的记录数
integer = true

[field.fee_due]
label      = 独生子女保健费应兑现金额
help       = 当年1月至本月应兑现的金额（元）
integer    = true
cumulative = true

[field.fee_paid]
label      = 独生子女保健费已兑现金额
help       = 当年1月至本月已兑现的金额（元）
integer    = true
cumulative = true

# 审核规则：报表中的数据须满足的关系，不满足时 kaohe check 指出所在单元格；
# level = error（默认）时不生成通报，改正后再运行
[audit.db_complete_within_records]
rule    = db_complete <= db_records
message = 主要数据项完整记录数不能多于人口数据库记录数

[audit.id_entered_within_records]
rule    = id_entered <= db_records
message = 已录入身份证号码人数不能多于人口数据库记录数

[audit.id_duplicates_within_entered]
rule    = id_duplicates <= id_entered
message = 身份证号码重复数不能多于已录入身份证号码人数

[audit.fee_paid_within_due]
rule    = fee_paid <= fee_due
message = 独生子女保健费已兑现金额不能多于独生子女保健费应兑现金额

# 考评指标：按本文件中的顺序出现在通报和考评表中
# 出生人口性别比：当年累计男婴数 / 女婴数 × 100，每超出1扣2分
[indicator.sex_ratio]
name     = 出生人口性别比
value    = ytd(births_male) / ytd(births_female) * 100
unit     =
decimals = 1
target   = <= 107
weight   = 20
method   = deduct 2 per 1

# 免费孕前优生健康检查：累计检查人数占全年任务（prepreg_task，见 townships.csv）的比例，
# 责任指标为时间进度的80%（7月为 7/12 × 80% = 46.67%），未达标按比例得分
[indicator.prepreg_check]
name     = 免费孕前优生健康检查任务完成率
value    = ytd(prepreg_checked) / prepreg_task * 100
unit     = %
decimals = 2
target   = >= month / 12 * 80
weight   = 20
method   = proportional

# 人口数据库主要数据项完整率：每低1个百分点扣3分
[indicator.db_complete]
name     = 人口数据库主要数据项完整率
value    = db_complete / db_records * 100
unit     = %
decimals = 2
target   = >= 95
weight   = 15
method   = deduct 3 per 1

# 身份证号码录入率：按录入率排名，第1名得满分，每后一名减1分
[indicator.id_entry]
name     = 身份证号码录入率
value    = id_entered / db_records * 100
unit     = %
decimals = 2
target   = >= 95
weight   = 20
method   = rank 1

# 身份证号码重复率：超过1%按比例得分
[indicator.id_duplicate]
name     = 身份证号码重复率
value    = id_duplicates / id_entered * 100
unit     = %
decimals = 2
target   = <= 1
weight   = 15
method   = proportional

# 独生子女保健费兑现率：一票否决项，9月15日前未全额兑现的予以预警
[indicator.only_child_fee]
name     = 独生子女保健费兑现率
value    = fee_paid / fee_due * 100
unit     = %
decimals = 2
target   = >= 100
weight   = 10
method   = all-or-nothing
veto     = true
deadline = 2013-09-15

[notice]
# 发文字号前缀、主送机关、抄送机关、印发机关
docno_prefix = 某人口
addressees   = 各乡（镇）人民政府，县直有关单位
copy_to      = 县委办公室，县人民政府办公室，县人口和计划生育领导小组各成员单位
printed_by   = 某某县人口和计划生育局办公室

# 字体：不写则使用默认字体（仿宋、小标宋、黑体、楷体，缺字体时自动替代）
[fonts]
# body     = FangSong
# title    = FZXiaoBiaoSong-B05S
# heading1 = SimHei
# heading2 = KaiTi

# 季度奖惩：季度得分为三个月总分的平均值
[quarter]
combine     = mean
veto_action = 取消本季度评先评优资格，通报批评

# 发邮件（kaohe mail）的发件人：名称 <邮箱地址>
[mail]
from = 某某县人口和计划生育局 <tjk@example.gov.cn>

# 奖惩等级：label 为通报和考评表中显示的名称
[award.first]
label  = 一等奖
ranks  = 1
action = 通报表扬，奖励工作经费3000元

[award.second]
label     = 二等奖
ranks     = 2-3
min_score = 80
action    = 通报表扬，奖励工作经费2000元

[penalty.last]
label  = 末位
bottom = 1
action = 通报批评，约谈分管领导

[penalty.low]
label  = 黄牌警告
below  = 60
action = 黄牌警告
"""


def grouped(n):
    return f"{n:,}"


def csv_text(rows, newline="\n"):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerows(rows)
    return buf.getvalue()


def write(path, text, bom=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


def build(out):
    rng = random.Random(2013)
    b = births(rng)
    tasks, checked = prepreg(rng)
    stock = database(rng)
    fee = fees(rng)

    write(os.path.join(out, "rules.ini"), RULES)
    reg = [["code", "name", "email", "contact", "prepreg_task"]]
    for (code, name, contact, has_email, _), task in zip(TOWNSHIPS, tasks):
        reg.append([code, name, f"{code}@example.org" if has_email else "", contact, task])
    write(os.path.join(out, "townships.csv"), csv_text(reg))

    for m in MONTHS:
        chinese = m == 5   # exported from Excel with the Chinese labels, keyed by name
        crlf = m == 8      # saved on Windows
        thousands = m in (6, 9)
        header = ["乡镇" if chinese else "township"] + [label if chinese else fid for fid, label in FIELDS]
        rows = [header]
        for t, (code, name, *_rest) in enumerate(TOWNSHIPS):
            cells = [name if chinese else code, *b[m][t], checked[m][t], *stock[m][t], *fee[m][t]]
            if thousands:
                cells = [cells[0]] + [grouped(c) for c in cells[1:]]
            rows.append(cells)
        write(os.path.join(out, "monthly", f"2013-{m:02d}.csv"),
              csv_text(rows, "\r\n" if crlf else "\n"), bom=chinese)


# ---------------------------------------------------------------- check

def check(out):
    sys.path.insert(0, os.path.join(HERE, "..", "tests", "reference"))
    import kaohe_ref  # noqa: E402  (the reference scorer, part of the tests)

    ds = kaohe_ref.Dataset(out)
    july, _ = kaohe_ref.assess_month(ds, 7)
    sept, _ = kaohe_ref.assess_month(ds, 9)
    failures = []

    def claim(text, holds):
        print(("ok    " if holds else "FAIL  ") + text)
        if not holds:
            failures.append(text)

    def county(doc, ind):
        return next(c for c in doc["county"]["indicators"] if c["id"] == ind)

    def cells(doc, ind):
        return [(tw["name"], next(c for c in tw["indicators"] if c["id"] == ind))
                for tw in doc["townships"]]

    c = county(july, "sex_ratio")
    claim(f"2013-07 出生人口性别比 {c['value']} 目标 {c['target']} 差距 {c['gap']}",
          (c["value"], c["target"], c["gap"]) == (125.5, 107, 18.5))
    ratios = [kaohe_ref.assess_month(ds, m)[0] for m in MONTHS]
    extreme = [(doc["period"], n, x["value"]) for doc in ratios for n, x in cells(doc, "sex_ratio")
               if not 100 <= x["value"] <= 150]
    claim(f"每月乡镇累计性别比均在100-150之间 {extreme or ''}", not extreme)

    below = [(n, x["value"]) for n, x in cells(july, "prepreg_check") if not x["met"]]
    claim(f"2013-07 孕前优生检查低于责任指标({cells(july, 'prepreg_check')[0][1]['target']}%，"
          f"即任务的80%)的乡镇: {below}", len(below) == 2)

    c = county(july, "db_complete")
    below = [(n, x["value"]) for n, x in cells(july, "db_complete") if not x["met"]]
    claim(f"2013-07 主要数据项完整率 全县 {c['value']}% (>95)，低于95%的乡镇: {below}",
          c["value"] > 95 and len(below) == 2)

    c = county(july, "id_entry")
    values = [(n, x["value"]) for n, x in cells(july, "id_entry")]
    claim(f"2013-07 身份证号码录入率 全县 {c['value']}% 目标 {c['target']}% 差距 {c['gap']}个百分点",
          (c["value"], c["target"], c["gap"]) == (84.71, 95, 10.29))
    claim(f"  无乡镇达到95%: 最高 {max(v for _, v in values)}%", all(v < 95 for _, v in values))
    low = [(n, v) for n, v in values if v < 90]
    claim(f"  低于90%的乡镇: {low}", len(low) == 3)
    claim(f"  最低 {min(values, key=lambda nv: nv[1])}", min(v for _, v in values) == 73.15)

    c = county(july, "id_duplicate")
    claim(f"2013-07 身份证号码重复率 全县 {c['value']}% (上限 {c['target']}%，达标 {c['met']})",
          (c["value"], c["target"], c["met"]) == (0.86, 1, True))

    warned = [n for n, x in cells(july, "only_child_fee") if x["warning"]]
    vetoed = [tw["name"] for tw in sept["townships"] if tw["veto"]]
    fixed = [n for n in warned if n not in vetoed]
    claim(f"2013-07 独生子女保健费兑现率预警（期限2013-09-15）: {warned}", len(warned) >= 3)
    claim(f"2013-09 一票否决: {vetoed}", len(vetoed) >= 1
          and not any(tw["veto"] for tw in july["townships"]))
    claim(f"  7月预警、9月前已整改: {fixed}", len(fixed) >= 1)

    print("2013-07 得分: " + ", ".join(f"{tw['name']} {tw['total']}(第{tw['rank']}名)"
                                        for tw in july["townships"]))
    for q in (1, 2, 3):
        doc = kaohe_ref.assess_quarter(ds, q, False)
        print(f"2013Q{q}: " + ", ".join(
            f"{tw['name']} {tw['score']}" + (f" {tw['award'] or tw['penalty']}" if tw["award"] or tw["penalty"] else "")
            + (" 否决" if tw["veto"] else "") for tw in doc["townships"]))
    return not failures


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=os.path.join(HERE, "county-2013"))
    p.add_argument("--check", action="store_true", help="verify samples/make_sample.py figures")
    args = p.parse_args(argv)
    build(args.out)
    if args.check and not check(args.out):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
