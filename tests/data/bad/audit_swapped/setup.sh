# Numerator and denominator swapped in one row (主要数据项完整记录数 and
# 人口数据库记录数 of 07 in February): the audit db_complete <= db_records
# fails at the cell, and the rate over 100% is warned.
cp -r "$KAOHE_SOURCE_DIR/samples/county-2013/." .
sed -i 's/^07,\([0-9]*\),\([0-9]*\),\([0-9]*\),\([0-9]*\),\([0-9]*\),/07,\1,\2,\3,\5,\4,/' monthly/2013-02.csv
