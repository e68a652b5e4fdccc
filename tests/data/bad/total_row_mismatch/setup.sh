# A 合计 row whose sums do not match the township rows (a row was edited
# after the total was computed): each differing number is a warning naming
# the column and both numbers; the row itself is no township.
cp -r "$KAOHE_SOURCE_DIR/samples/county-2013/." .
printf '合计,234,184,514,"283,600",275010,240000,2066,622370,613680\r\n' >>monthly/2013-07.csv
