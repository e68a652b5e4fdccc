# A row shifted one cell left (Excel's 右侧单元格左移 on its first value):
# every number sits under the next column's header and the last is empty.
cp -r "$KAOHE_SOURCE_DIR/samples/county-2013/." .
sed -i 's/^05,[0-9]*,\(.*\)$/05,\1,/' monthly/2013-06.csv
