#!/bin/sh
# Puts Gatehouse from this folder into your own menu (~/.local), or takes it out again
# with --remove. Nothing outside your home folder is touched, and your data stays.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${XDG_BIN_HOME:-$HOME/.local/bin}
share=${XDG_DATA_HOME:-$HOME/.local/share}
if [ "${1:-}" = --remove ]; then
  rm -f "$bin/gatehouse" "$bin/gatehouse-server" "$share/applications/gatehouse.desktop" \
        "$share/icons/hicolor/256x256/apps/gatehouse.png"
  echo "Gatehouse is out of your menu. Your data (~/.config/Gatehouse) is still there."
  exit 0
fi
mkdir -p "$bin" "$share/applications" "$share/icons/hicolor/256x256/apps"
install -m 0755 "$here/gatehouse" "$here/gatehouse-server" "$bin/"
sed "s|^Exec=gatehouse|Exec=$bin/gatehouse|" "$here/gatehouse.desktop" > "$share/applications/gatehouse.desktop"
install -m 0644 "$here/gatehouse.png" "$share/icons/hicolor/256x256/apps/gatehouse.png"
echo "Gatehouse is in your menu (the program is in $bin)."
