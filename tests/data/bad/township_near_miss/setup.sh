# A township name one character off (石桥乡 for 石桥镇): still an error,
# with the one registry name at edit distance 1 suggested; 王集镇 is as
# near to 王集乡 as to 新集镇, so nothing is suggested for it.
cp -r "$KAOHE_SOURCE_DIR/samples/county-2013/." .
sed -i 's/^石桥镇,/石桥乡,/; s/^王集乡,/王集镇,/' monthly/2013-05.csv
