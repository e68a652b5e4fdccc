#!/usr/bin/python3
"""gen_bench.py: a clean, large, deterministic dataset for benchmarks.

    gen_bench.py --townships N [--months 9] [--seed 1] OUTDIR

Writes OUTDIR/rules.ini, OUTDIR/townships.csv and OUTDIR/monthly/2013-01.csv
... 2013-MM.csv: a province-scale county year for kaohe that `kaohe check`
accepts without an error or a warning. Same arguments, same bytes.

Unlike tests/reference/gen_dataset.py (small and nasty, to find bugs), the
data here is plain UTF-8 with every cell present, so a run measures the work
of scoring and rendering, not of diagnostics. The scheme has 12 indicators
that cover every scoring method (all-or-nothing, proportional, deduct, rank),
both directions, year-to-date sums, attributes, `month` in a target, and a
veto with and without a deadline; township figures are spread so that some
miss each target, a few are vetoed, some tie on a rank.
"""

import argparse
import os
import random

YEAR = 2013

# Two syllables and a suffix give 90 x 90 x 2 distinct township names.
FIRST = ("城关新集石桥河口柳林白马三河杨庄王集高店李寨青山双庙东风红旗前进和平五里八里"
         "龙泉凤凰桃园梨园大营小营南湖北湖西山东山金桥银河长岭安乐永宁太平兴隆丰收古城马庄"
         "刘集钱塘孙庄周口吴堡郑集冯楼陈楼褚庄卫河蒋集沈丘韩庄杨楼朱集秦岭尤溪许昌何庄吕梁"
         "施桥张湾孔庄曹集严店华山金寨魏庄陶庄姜堰戚墅谢集邹平喻屯柏林水口窦店章丘云台苏仙")
SECOND = "家庄河桥山口湖塘集店寨岭坪坝湾沟洼堡营屯铺场岗岩峪滩洲渡园林田坡墩圩垸台"
SUFFIX = ("镇", "乡")

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
    ("marriages", "结婚登记对数"),
    ("late_marriages", "晚婚对数"),
    ("policy_births", "政策内出生数"),
    ("floating_total", "流动人口数"),
    ("floating_registered", "流动人口已登记数"),
    ("visits", "入户随访户数"),
    ("support_due", "奖励扶助应发人数"),
    ("support_paid", "奖励扶助已发人数"),
    ("funds_spent", "事业经费支出"),
]

RULES = """# 基准测试用考评方案（由 bench/gen_bench.py 生成，纯属虚构）

[assessment]
title    = 人口计生重点工作月考评
county   = 基准测试县
issuer   = 基准测试县人口和计划生育局
year     = {year}

{fields}
[indicator.sex_ratio]
name     = 出生人口性别比
value    = ytd(births_male) / ytd(births_female) * 100
unit     =
decimals = 1
target   = <= 107
weight   = 10
method   = deduct 2 per 1

[indicator.prepreg_check]
name     = 免费孕前优生健康检查任务完成率
value    = ytd(prepreg_checked) / prepreg_task * 100
unit     = %
decimals = 2
target   = >= month / 12 * 80
weight   = 10
method   = proportional

[indicator.db_complete]
name     = 人口数据库主要数据项完整率
value    = db_complete / db_records * 100
unit     = %
decimals = 2
target   = >= 95
weight   = 10
method   = deduct 3 per 1

[indicator.id_entry]
name     = 身份证号码录入率
value    = id_entered / db_records * 100
unit     = %
decimals = 2
target   = >= 95
weight   = 10
method   = rank 0.01

[indicator.id_duplicate]
name     = 身份证号码重复率
value    = id_duplicates / id_entered * 100
unit     = %
decimals = 2
target   = <= 1
weight   = 5
method   = proportional

[indicator.only_child_fee]
name     = 独生子女保健费兑现率
value    = fee_paid / fee_due * 100
unit     = %
decimals = 2
target   = >= 100
weight   = 10
method   = all-or-nothing
veto     = true
deadline = {year}-09-15

[indicator.late_marriage]
name     = 晚婚率
value    = ytd(late_marriages) / ytd(marriages) * 100
unit     = %
decimals = 2
target   = >= 60
weight   = 5
method   = deduct 1 per 2

[indicator.policy_births]
name     = 政策生育率
value    = ytd(policy_births) / (ytd(births_male) + ytd(births_female)) * 100
unit     = %
decimals = 2
target   = >= 92
weight   = 10
method   = deduct 2 per 1

[indicator.floating]
name     = 流动人口登记率
value    = floating_registered / floating_total * 100
unit     = %
decimals = 1
target   = >= 90
weight   = 10
method   = rank 0.005

[indicator.visits]
name     = 入户随访完成率
value    = ytd(visits) / households * 100
unit     = %
decimals = 2
target   = >= month / 12 * 100
weight   = 5
method   = proportional

[indicator.support]
name     = 奖励扶助金发放率
value    = support_paid / support_due * 100
unit     = %
decimals = 2
target   = >= 100
weight   = 5
method   = all-or-nothing
veto     = true

[indicator.funds]
name     = 事业经费人均支出
value    = ytd(funds_spent) / population
unit     = 元
decimals = 2
target   = >= month * 2.5
weight   = 10
method   = deduct 1 per 0.5

[notice]
docno_prefix = 基人口
addressees   = 各乡（镇）人民政府，县直有关单位
copy_to      = 县委办公室，县人民政府办公室
printed_by   = 基准测试县人口和计划生育局办公室

[quarter]
combine     = mean
veto_action = 取消本季度评先评优资格,通报批评

[award.first]
ranks  = 1-3
action = 通报表扬,奖励工作经费3000元

[award.second]
ranks     = 4-10
min_score = 80
action    = 通报表扬,奖励工作经费2000元

[penalty.last]
bottom = 3
action = 通报批评,约谈分管领导

[penalty.low]
below  = 60
action = 黄牌警告
"""


def township_names(n):
    if n > len(FIRST) // 2 * len(SECOND) * len(SUFFIX):
        raise SystemExit(f"gen_bench.py: at most {len(FIRST) // 2 * len(SECOND) * 2} townships")
    firsts = [FIRST[i:i + 2] for i in range(0, len(FIRST), 2)]
    names = []
    for k in range(n):
        a = firsts[k % len(firsts)]
        b = SECOND[(k // len(firsts)) % len(SECOND)]
        s = SUFFIX[(k // (len(firsts) * len(SECOND))) % 2]
        names.append(a + b + s)
    return names


class Township:
    """One township's size and habits, fixed for the year."""

    def __init__(self, rng, k, name):
        self.code = f"T{k + 1:04d}"
        self.name = name
        self.population = rng.randint(8000, 90000)
        self.households = self.population // 4
        self.prepreg_task = max(20, self.population // 60)
        self.quality = rng.random()  # 0 poor .. 1 excellent, drives misses
        self.male_bias = rng.uniform(0.98, 1.2)


def month_row(rng, tw, month):
    q = tw.quality
    births = max(4, int(tw.population * rng.uniform(0.0009, 0.0013)))
    female = max(2, int(births / (1 + tw.male_bias)))
    male = births - female
    records = int(tw.population * rng.uniform(0.97, 1.0))
    complete = int(records * min(1.0, 0.90 + 0.09 * q + rng.uniform(0, 0.02)))
    # id entry rates with deliberate ties: rounded to whole per mille
    id_rate = round(min(1.0, 0.70 + 0.29 * q + rng.uniform(0, 0.03)), 3)
    entered = int(records * id_rate)
    duplicates = int(entered * rng.uniform(0.002, 0.013))
    fee_due = rng.randint(20, 200) * 100
    short = q < 0.08 and month >= 7
    fee_paid = fee_due - (rng.randint(1, 20) * 100 if short else 0)
    marriages = max(3, int(tw.population * rng.uniform(0.0005, 0.0008)))
    late = int(marriages * min(1.0, 0.45 + 0.3 * q + rng.uniform(0, 0.1)))
    policy = int(births * min(1.0, 0.88 + 0.1 * q + rng.uniform(0, 0.03)))
    floating = max(10, int(tw.population * rng.uniform(0.03, 0.08)))
    registered = int(floating * min(1.0, 0.8 + 0.2 * q))
    visits = int(tw.households / 12 * rng.uniform(0.85, 1.1))
    support_due = rng.randint(5, 60)
    support_paid = support_due - (1 if q < 0.01 else 0)
    funds = int(tw.population * rng.uniform(1.8, 3.2))
    return [tw.code, male, female, int(tw.prepreg_task / 12 * rng.uniform(0.6, 1.2)),
            records, complete, entered, duplicates, fee_due, fee_paid, marriages, late,
            policy, floating, registered, visits, support_due, support_paid, funds]


def write(path, lines):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("".join(line + "\n" for line in lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--townships", type=int, required=True)
    ap.add_argument("--months", type=int, default=9)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("outdir")
    args = ap.parse_args()
    if not 1 <= args.months <= 12 or args.townships < 1:
        raise SystemExit("gen_bench.py: 1..12 months and at least one township")

    rng = random.Random(args.seed * 100003 + args.townships)
    towns = [Township(rng, k, name) for k, name in enumerate(township_names(args.townships))]
    os.makedirs(os.path.join(args.outdir, "monthly"), exist_ok=True)

    fields = "".join(f"[field.{fid}]\nlabel = {label}\n\n" for fid, label in FIELDS)
    write(os.path.join(args.outdir, "rules.ini"), [RULES.format(year=YEAR, fields=fields)])
    reg = ["code,name,email,contact,prepreg_task,households,population"]
    reg += [f"{t.code},{t.name},{t.code.lower()}@example.org,联系人{t.code[1:]},"
            f"{t.prepreg_task},{t.households},{t.population}" for t in towns]
    write(os.path.join(args.outdir, "townships.csv"), reg)
    header = "township," + ",".join(fid for fid, _ in FIELDS)
    for month in range(1, args.months + 1):
        rows = [header] + [",".join(str(v) for v in month_row(rng, t, month)) for t in towns]
        write(os.path.join(args.outdir, "monthly", f"{YEAR}-{month:02d}.csv"), rows)


if __name__ == "__main__":
    main()
