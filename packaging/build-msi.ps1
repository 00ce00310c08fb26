# Builds the Windows installer: target\dist\RouteLedger-<version>.msi. Run on Windows with JDK 17 (jpackage),
# Maven and the WiX Toolset 3 on the PATH (jpackage calls candle and light). Not buildable on Linux.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$version = (Select-String -Path pom.xml -Pattern '<version>([0-9][0-9.]*)(-SNAPSHOT)?</version>' | Select-Object -First 1).Matches[0].Groups[1].Value
# the shaded jar carries the JavaFX natives of the platform it is built on: build it here, on Windows
mvn -B -q -DskipTests package
Remove-Item -Recurse -Force target\jpackage-input, target\dist -ErrorAction SilentlyContinue
New-Item -ItemType Directory target\jpackage-input, target\dist | Out-Null
Copy-Item target\routeledger.jar target\jpackage-input\
Copy-Item -Recurse sample-logs target\jpackage-input\sample-logs
jpackage --type msi --name RouteLedger --app-version $version --vendor "RouteLedger" `
  --description "Where your LLM money goes, and what a better routing policy would save." `
  --input target\jpackage-input --main-jar routeledger.jar --main-class dev.routeledger.Main `
  --icon icons\routeledger.ico --java-options "-Xmx2g" `
  --win-menu --win-menu-group RouteLedger --win-shortcut --win-dir-chooser `
  --win-upgrade-uuid 6f1c2a6e-4d0b-4f7e-9a51-2c3b7e0d9a41 `
  --dest target\dist
Get-ChildItem target\dist
