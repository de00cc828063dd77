#!/usr/bin/env bash
# Make sure Debian's chromium is there for the browser tests. Never downloads a browser
# of its own: it asks apt, and only when we are root or have password-less sudo.
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "chromium is not installed and this user cannot install it (needs root or sudo)."
  echo "Install it with: sudo apt-get install chromium   - until then browser tests are skipped."
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is not installed and apt-get is not available: browser tests will be skipped."
  exit 0
fi
echo "Installing Debian's chromium for the browser tests..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq chromium >/dev/null \
  && echo "chromium installed." \
  || echo "Could not install chromium with apt-get: browser tests will be skipped (and fail under CI)."
exit 0
