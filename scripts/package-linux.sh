#!/usr/bin/env bash
# Packs built binaries for Linux, offline: a .deb (dpkg-deb) of the desktop binary, and a
# tarball with both binaries, the menu entry, the icon, install.sh and a README.
#   scripts/package-linux.sh deb DESKTOP_BIN OUTDIR              → prints the .deb's path
#   scripts/package-linux.sh tarball DESKTOP_BIN SERVER_BIN OUTDIR → prints the tarball's path
# The version is the binary's own (gatehouse --version). Used by `make dist` and by the
# package suite of `make test` (scripts/dist-smoke.sh), which packs the binary `make build` made.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pkg=$root/packaging
kind=${1:?deb or tarball}; shift

version() { # "gatehouse 0.1.0 (desktop)" → 0.1.0
  local line; line=$("$1" --version) || { echo "package: $1 --version failed" >&2; exit 1; }
  set -- $line; echo "$2"
}

case $kind in
deb)
  bin=${1:?desktop binary}; out=${2:?output folder}
  ver=$(version "$bin")
  stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
  chmod 0755 "$stage" # the package's root (mktemp makes it owner-only)
  install -Dm0755 "$bin" "$stage/usr/bin/gatehouse"
  install -Dm0644 "$pkg/gatehouse.desktop" "$stage/usr/share/applications/gatehouse.desktop"
  install -Dm0644 "$pkg/gatehouse.png" "$stage/usr/share/icons/hicolor/256x256/apps/gatehouse.png"
  mkdir -p "$stage/DEBIAN"
  # The runtime libraries only (not the -dev packages); Debian 13 and Ubuntu 24.04 call
  # GTK's libgtk-3-0t64. gnome-keyring keeps the secrets; without a keychain, the
  # --insecure-file-secrets flag keeps them in a file.
  cat > "$stage/DEBIAN/control" <<CONTROL
Package: gatehouse
Version: $ver
Architecture: amd64
Maintainer: Gatehouse <team@gatehouse.invalid>
Installed-Size: $(du -sk "$stage/usr" | cut -f1)
Depends: libc6 (>= 2.34), libgtk-3-0t64 | libgtk-3-0 (>= 3.24), libwebkit2gtk-4.1-0
Recommends: gnome-keyring
Section: misc
Priority: optional
Homepage: https://gatehouse.invalid/
Description: who sees and does what, for small teams
 Gatehouse keeps a small team's people, roles, projects, tasks and boards in one
 SQLite file and decides who sees and does what. It opens as a desktop window,
 and "gatehouse serve" serves the same UI to a browser.
CONTROL
  mkdir -p "$out"
  deb=$out/gatehouse_${ver}_amd64.deb
  # xz for what ships (25% smaller); the package suite of make test asks for gzip
  # (DEB_COMPRESS=gzip), ten times faster to make, with the very same contents.
  dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-xz}" --build "$stage" "$deb" >/dev/null
  echo "$deb"
  ;;
tarball)
  bin=${1:?desktop binary}; server=${2:?server binary}; out=${3:?output folder}
  ver=$(version "$bin")
  stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
  dir=$stage/gatehouse-$ver
  install -Dm0755 "$bin" "$dir/gatehouse"
  install -Dm0755 "$server" "$dir/gatehouse-server"
  install -Dm0755 "$pkg/install.sh" "$dir/install.sh"
  install -Dm0644 "$pkg/gatehouse.desktop" "$dir/gatehouse.desktop"
  install -Dm0644 "$pkg/gatehouse.png" "$dir/gatehouse.png"
  install -Dm0644 "$pkg/README.txt" "$dir/README.txt"
  mkdir -p "$out"
  tgz=$out/gatehouse-${ver}-linux-amd64.tar.gz
  tar -C "$stage" --owner=0 --group=0 -czf "$tgz" "gatehouse-$ver"
  echo "$tgz"
  ;;
*) echo "package: unknown kind $kind (deb or tarball)" >&2; exit 2 ;;
esac
