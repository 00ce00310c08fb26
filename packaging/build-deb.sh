#!/usr/bin/env bash
# Builds the Linux installer: target/dist/routeledger_<version>_amd64.deb (jpackage, from the JDK).
# Needs: JDK 17 (jpackage), fakeroot and binutils (objcopy), Maven. Run from anywhere.
#
# The app stays non-modular: the shaded jar (JavaFX, ControlsFX and DuckDB inside) runs on the class path from a
# plain launcher class (dev.routeledger.Main), so ControlsFX needs none of the --add-opens flags a named JavaFX
# module would (JAVA-NOTES.md). The bundled sample logs ship beside the jar, so the first start shows them.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=$(sed -n 's:.*<version>\([0-9][0-9.]*\)\(-SNAPSHOT\)\{0,1\}</version>.*:\1:p' pom.xml | head -1)
[ -f target/routeledger.jar ] || mvn -B -q -DskipTests package

rm -rf target/jpackage-input target/dist
mkdir -p target/jpackage-input target/dist
cp target/routeledger.jar target/jpackage-input/
cp -r sample-logs target/jpackage-input/sample-logs

jpackage --type deb \
  --name RouteLedger \
  --app-version "$VERSION" \
  --vendor "RouteLedger" \
  --copyright "RouteLedger developers" \
  --description "Where your LLM money goes, and what a better routing policy would save." \
  --input target/jpackage-input \
  --main-jar routeledger.jar \
  --main-class dev.routeledger.Main \
  --icon icons/routeledger-256.png \
  --java-options "-Xmx2g" \
  --linux-package-name routeledger \
  --linux-deb-maintainer "dev@routeledger.invalid" \
  --linux-package-deps "libgtk-3-0" \
  --linux-menu-group "Office;Finance;" \
  --linux-app-category misc \
  --linux-shortcut \
  --resource-dir packaging/linux \
  --dest target/dist

ls -l target/dist/*.deb
