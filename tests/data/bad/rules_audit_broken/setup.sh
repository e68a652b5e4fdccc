# Audit rules that cannot be read: no comparison, two comparisons, ytd()
# (audits compare one month's row; prev() gives the last report), an
# unknown level, and prev() where only audits may use it. One rule with
# prev() that holds shows it is understood.
cp -r "$KAOHE_SOURCE_DIR/samples/county-2013/." .
cat >>rules.ini <<'INI'

[audit.no_operator]
rule = id_entered - db_records

[audit.two_operators]
rule = 0 <= id_entered <= db_records

[audit.uses_ytd]
rule = ytd(id_entered) <= db_records

[audit.bad_level]
rule  = id_entered >= prev(id_entered)
level = fatal

[audit.records_grow_slowly]
rule    = db_records <= prev(db_records) * 1.1
message = 人口数据库记录数比上次报送的多了一成以上
level   = warning
INI
sed -i 's/^value    = id_entered \/ db_records \* 100$/value    = id_entered \/ prev(db_records) * 100/' rules.ini
