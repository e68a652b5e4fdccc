# A row with its key and nothing else (Excel's 杨庄乡,,,,): the township
# scores 0 in total, which check says at the row.
cp -r "$KAOHE_SOURCE_DIR/samples/county-2013/." .
sed -i 's/^杨庄乡,.*$/杨庄乡,,,,,,,,,/' monthly/2013-05.csv
