# Makes monthly/2013-02.csv hold a 2 MB cell (too big to keep in git).
head -c 2097152 /dev/zero | tr "\\0" "9" > cell
{ printf "township,births_male,births_female,checked\n01,11,10,9\n02,"; cat cell; printf ",6,1\n03,6,5,7\n"; } > monthly/2013-02.csv
rm cell
