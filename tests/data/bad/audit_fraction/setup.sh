# A fraction in a whole-number field (integer = true): a count typed with
# a decimal point, or a rate pasted into a count column.
cp -r "$KAOHE_SOURCE_DIR/samples/county-2013/." .
sed -i 's/^10,\([0-9]*\),/10,\1.5,/' monthly/2013-03.csv
