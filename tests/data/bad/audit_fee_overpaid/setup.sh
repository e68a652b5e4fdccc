# A fee paid larger than the fee due (a typo: one digit too many).
cp -r "$KAOHE_SOURCE_DIR/samples/county-2013/." .
sed -i "s/^\(03,.*,\)\([0-9]*\)\(\r\?\)$/\1\20\3/" monthly/2013-08.csv
