#!/usr/bin/env bash
# Fails when the catalogues are behind the sources: lupdate, run on copies of them, must
# change nothing. A new tr() string without its Dutch and English entry fails here, not in
# front of a user. Usage: check-translations-current.sh LUPDATE PROJECT_JSON TS_DIR
set -euo pipefail
lupdate=$1
project=$2
ts_dir=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$ts_dir"/okhealth_nl.ts "$ts_dir"/okhealth_en.ts "$work"/
"$lupdate" -silent -project "$project" -ts "$work"/okhealth_nl.ts "$work"/okhealth_en.ts \
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
