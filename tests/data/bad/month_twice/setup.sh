# Two files for one month (2013-07.csv and the same data saved as
# 2013-07.txt): an error naming both.
cp -r "$KAOHE_SOURCE_DIR/samples/county-2013/." .
cp monthly/2013-07.csv monthly/2013-07.txt
