#!/bin/sh
# Makes data/fonts/: the Noto Sans subsets that social cards are drawn
# with, compiled into the binary. Source: Debian's fonts-noto-core
# (Noto fonts by Google, SIL Open Font License 1.1). Each script's font is
# cut to the Unicode blocks of that script that the theme's 44 languages
# write in, plus shared punctuation; OpenType layout tables are kept whole
# for those glyphs, so Arabic joins and Devanagari conjuncts still shape.
#
#   apt-get install fonts-noto-core && pip install fonttools
#   sh scripts/fonts.sh
set -eu
src=${NOTO_DIR:-/usr/share/fonts/truetype/noto}
out=$(dirname "$0")/../data/fonts
mkdir -p "$out"

common="U+0020-007E,U+00A0-00FF,U+2000-206F,U+20AC,U+2116,U+2122,U+2190-2193,U+2212,U+25CC"
latin="$common,U+0100-024F,U+0259,U+02B9-02DD,U+0300-036F,U+1E00-1EFF,U+20A0-20C0"
greek_cyrillic="U+0370-03FF,U+0400-052F"

cut() { # font file, unicodes, output name
    pyftsubset "$src/$1" --unicodes="$2" --layout-features='*' \
        --no-hinting --desubroutinize --name-IDs='*' --name-languages='*' \
        --drop-tables+=DSIG --output-file="$out/$3"
}

for w in Regular Bold; do
    cut "NotoSans-$w.ttf" "$latin,$greek_cyrillic" "NotoSans-$w.ttf"
    cut "NotoSansArabic-$w.ttf" "$common,U+0600-06FF,U+0750-077F,U+200C-200F" "NotoSansArabic-$w.ttf"
    cut "NotoSansHebrew-$w.ttf" "$common,U+0590-05FF,U+FB1D-FB4F" "NotoSansHebrew-$w.ttf"
    cut "NotoSansArmenian-$w.ttf" "$common,U+0530-058F,U+FB13-FB17" "NotoSansArmenian-$w.ttf"
    cut "NotoSansGeorgian-$w.ttf" "$common,U+10A0-10FF,U+1C90-1CBF,U+2D00-2D2F" "NotoSansGeorgian-$w.ttf"
    cut "NotoSansDevanagari-$w.ttf" "$common,U+0900-097F,U+A8E0-A8FF,U+200C-200D,U+1CD0-1CFF" "NotoSansDevanagari-$w.ttf"
done
ls -l "$out"/*.ttf
