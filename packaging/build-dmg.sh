#!/usr/bin/env bash
# Builds the macOS installer: target/dist/RouteLedger-<version>.dmg. Run on macOS with JDK 17 (jpackage) and
# Maven; jpackage needs Xcode's command line tools. Not buildable on Linux (see .github/workflows/installers.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(sed -n 's:.*<version>\([0-9][0-9.]*\)\(-SNAPSHOT\)\{0,1\}</version>.*:\1:p' pom.xml | head -1)
# the shaded jar carries the JavaFX natives of the platform it is built on: build it here, on macOS
mvn -B -q -DskipTests package
rm -rf target/jpackage-input target/dist && mkdir -p target/jpackage-input target/dist
cp target/routeledger.jar target/jpackage-input/ && cp -r sample-logs target/jpackage-input/sample-logs
jpackage --type dmg --name RouteLedger --app-version "$VERSION" --vendor "RouteLedger" \
  --description "Where your LLM money goes, and what a better routing policy would save." \
  --input target/jpackage-input --main-jar routeledger.jar --main-class dev.routeledger.Main \
  --icon icons/routeledger.icns --java-options "-Xmx2g" --mac-package-identifier dev.routeledger.console \
  --dest target/dist
ls -l target/dist
