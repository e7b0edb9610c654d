#!/usr/bin/env bash
# Installs the build into a temporary prefix and checks what an operator's desktop reads:
# every file in its standard place under one reverse-DNS id, the desktop entry and the
# AppStream metainfo valid, and the installed programs running from the prefix alone (the
# stand-in's site files, the docs and the examples found next to them).
# Usage: check-install.sh CMAKE BUILD_DIR
set -euo pipefail
cmake=$1
build=$2
id=org.okhealth.OKHealth
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
"$cmake" --install "$build" --prefix "$prefix" >/dev/null

status=0
for file in bin/okhealth bin/okhealth-check \
    share/applications/$id.desktop share/metainfo/$id.metainfo.xml \
    share/icons/hicolor/scalable/apps/$id.svg \
    share/icons/hicolor/scalable/status/$id-healthy.svg \
    share/icons/hicolor/scalable/status/$id-unhealthy.svg \
    share/icons/hicolor/scalable/status/$id-unknown.svg \
    share/okhealth/standin/django_app/manage.py share/okhealth/standin/flower/flower_standin.py \
    share/doc/okhealth/desktop.md share/doc/okhealth/examples/openklant-local.json; do
    if [ ! -f "$prefix/$file" ]; then
        echo "not installed: $file"
        status=1
    fi
done
desktop-file-validate "$prefix/share/applications/$id.desktop" || status=1
appstreamcli validate --no-net "$prefix/share/metainfo/$id.metainfo.xml" || status=1

# The desktop entry and the metainfo name the same program and icon.
grep -qx "Icon=$id" "$prefix/share/applications/$id.desktop" || { echo "desktop entry: Icon is not $id"; status=1; }
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$prefix/share/metainfo/$id.metainfo.xml" ||
    { echo "metainfo: launchable is not $id.desktop"; status=1; }

# The installed programs run from the prefix: the CLI checks an installed example, the app
# answers --version (offscreen: no display needed).
"$prefix/bin/okhealth-check" validate --quiet "$prefix/share/doc/okhealth/examples/openklant-local.json" ||
    { echo "installed okhealth-check cannot validate the installed example"; status=1; }
QT_QPA_PLATFORM=offscreen "$prefix/bin/okhealth" --version | grep -q "^OK Health 0\|^okhealth 0" ||
    { echo "installed okhealth does not start"; status=1; }
exit $status
