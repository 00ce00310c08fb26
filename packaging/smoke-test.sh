#!/usr/bin/env bash
# Smoke test of the Linux package: builds the .deb (unless one is there) and installs it — for real with apt when
# run as root (then removes it again), else unpacked into a temporary root — checks the launcher, the menu entry
# and its icon, then starts the app under a virtual display (Xvfb) with a fresh home, waits for the main window
# on the bundled sample logs, checks that the window is on screen and the process stays up, saves a screenshot
# (target/smoke/screen.png) and shuts it down.
# Needs: xvfb, x11-utils (xwininfo), libgtk-3-0; imagemagick (import) for the screenshot, if present.
set -euo pipefail
cd "$(dirname "$0")/.."

deb=$(ls target/dist/routeledger_*_amd64.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then bash packaging/build-deb.sh; deb=$(ls target/dist/routeledger_*_amd64.deb | head -1); fi
out=target/smoke
rm -rf "$out" && mkdir -p "$out"
root=$(mktemp -d)
home=$(mktemp -d)
installed=""
cleanup() {
  [ -n "${app:-}" ] && kill "$app" 2>/dev/null || true
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
  if [ -n "$installed" ]; then apt-get purge -y -q routeledger > "$out/remove.log" 2>&1 || echo "smoke: removing the package failed"; fi
  [ -n "$root" ] && rm -rf "$root"; rm -rf "$home"
}
trap cleanup EXIT

if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null && ! dpkg-query -W -f='${Status}' routeledger 2>/dev/null | grep -q "ok installed"; then
  # a real install, as a user would do it (apt brings the dependencies the package declares)
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./$deb" > "$out/install.log" 2>&1 || { echo "smoke: apt could not install $deb"; cat "$out/install.log"; exit 1; }
  installed=yes
  root=""
  [ -f /usr/share/applications/routeledger-RouteLedger.desktop ] || { echo "smoke: the install added no menu entry"; exit 1; }
  echo "smoke: installed with apt; menu entry /usr/share/applications/routeledger-RouteLedger.desktop"
else
  dpkg-deb -x "$deb" "$root"
fi
launcher="$root/opt/routeledger/bin/RouteLedger"
desktop=$(ls "$root"/opt/routeledger/lib/*.desktop)
[ -x "$launcher" ] || { echo "smoke: no launcher at $launcher"; exit 1; }
grep -q '^Name=RouteLedger$' "$desktop" || { echo "smoke: the menu entry has no Name=RouteLedger"; cat "$desktop"; exit 1; }
icon=$(sed -n 's/^Icon=//p' "$desktop")
[ -s "$root$icon" ] || { echo "smoke: the menu entry's icon $icon is not in the package"; exit 1; }
[ -d "$root/opt/routeledger/lib/app/sample-logs" ] || { echo "smoke: the sample logs are not in the package"; exit 1; }
echo "smoke: package ok ($(du -h "$deb" | cut -f1)): launcher, menu entry, icon, sample logs"

display=":$(( (RANDOM % 400) + 100 ))"
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp > "$out/xvfb.log" 2>&1 &
xvfb=$!
sleep 2
# a fresh user: Java takes its home from the password database, not $HOME, so it is set for the JVM itself;
# RL_TIMING makes the console say when its main window is up
HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home -Djava.util.prefs.userRoot=$home/.java" DISPLAY="$display" RL_TIMING=1 \
  "$launcher" > "$out/app.log" 2>&1 &
app=$!
for _ in $(seq 1 180); do
  grep -q "main window built" "$out/app.log" && break
  kill -0 "$app" 2>/dev/null || { echo "smoke: the app exited"; cat "$out/app.log"; exit 1; }
  sleep 1
done
grep -q "main window built" "$out/app.log" || { echo "smoke: no main window within 3 minutes"; cat "$out/app.log"; exit 1; }
sleep 5
kill -0 "$app" 2>/dev/null || { echo "smoke: the app did not stay up"; cat "$out/app.log"; exit 1; }
DISPLAY="$display" xwininfo -root -tree | grep -q '"RouteLedger' || { echo "smoke: no RouteLedger window on the display"; exit 1; }
[ -s "$home/.routeledger/sample.duckdb" ] || { echo "smoke: the sample logs were not imported"; exit 1; }
if command -v import > /dev/null; then DISPLAY="$display" import -window root "$out/screen.png" || true; fi
echo "smoke: the installed app started under Xvfb, showed its window on the sample logs and stayed up"
