#!/usr/bin/env bash
# Make sure Debian's wrk is there for `make bench`. It asks apt, and only when we are root or
# have password-less sudo; otherwise it says how to install it (the benchmark then stops).
set -u
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "wrk is not installed and this user cannot install it: sudo apt-get install wrk"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "wrk is not installed and apt-get is not available."
  exit 0
fi
echo "Installing Debian's wrk for the benchmark..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq wrk >/dev/null 2>&1 \
  || { $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq wrk >/dev/null; } \
  || echo "Could not install wrk with apt-get."
exit 0
