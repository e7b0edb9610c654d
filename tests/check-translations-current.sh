#!/usr/bin/env bash
# Fails when the catalogues are behind the sources: lupdate, run on copies of them, must
# change nothing. A new tr() string without its Dutch and English entry fails here, not in
# front of a user.
# Usage: check-translations-current.sh LUPDATE CMAKE GENERATE_PROJECT_SCRIPT PROJECT_CMAKE TS_DIR
# (the project file qt_add_translations writes at configure time becomes lupdate's JSON here,
# as the update_translations target does it).
set -euo pipefail
lupdate=$1
cmake=$2
generate=$3
project_cmake=$4
ts_dir=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cmake" -DIN_FILE="$project_cmake" -DOUT_FILE="$work/project.json" -P "$generate"
cp "$ts_dir"/okhealth_nl.ts "$ts_dir"/okhealth_en.ts "$work"/
"$lupdate" -silent -project "$work/project.json" -ts "$work"/okhealth_nl.ts "$work"/okhealth_en.ts \
    -no-obsolete -locations none 2>/dev/null
status=0
for lang in nl en; do
    if ! cmp -s "$ts_dir/okhealth_$lang.ts" "$work/okhealth_$lang.ts"; then
        echo "translations/okhealth_$lang.ts is not current; lupdate would change:"
        diff -u "$ts_dir/okhealth_$lang.ts" "$work/okhealth_$lang.ts" | grep '^[-+] *<source>' | head -20 || true
        status=1
    fi
done
if [ "$status" -ne 0 ]; then
    echo "Run: cmake --build build --target update_translations, then translate the new entries."
fi
exit "$status"
