#!/usr/bin/env bash
# Usage: scripts/apt-ensure.sh COMMAND PACKAGE "WHAT IT IS FOR"
# Make sure a Debian package's command (or, given an absolute path, its file) is there. It asks apt, and only when we are root or have
# password-less sudo; it never downloads anything else. When it cannot, it says so and how to
# install it, and exits 0: the caller decides what a missing tool means (browser tests skip,
# except under CI where that is a failure; the benchmark stops).
set -u
cmd=$1 package=$2 purpose=$3
if command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/bin/$cmd" ] || { [ "${cmd#/}" != "$cmd" ] && [ -e "$cmd" ]; }; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "$package is not installed and this user cannot install it: sudo apt-get install $package ($purpose)."
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$package is not installed and apt-get is not available ($purpose)."
  exit 0
fi
echo "Installing Debian's $package for $purpose..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq "$package" >/dev/null 2>&1 \
  || { $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq "$package" >/dev/null; } \
  || echo "Could not install $package with apt-get ($purpose)."
exit 0
