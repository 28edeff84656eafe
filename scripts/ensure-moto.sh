#!/usr/bin/env bash
# Installs moto[server] into a cached virtualenv (once) and prints the path of its moto_server.
# Used by .ci/run and by the jest global setup, so a fresh clone needs nothing installed by hand.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${MOTO_VENV:-$root/.cache/moto-venv}"
spec="${MOTO_SPEC:-moto[server]==5.2.5}"
stamp="$venv/.installed-spec"
if [ ! -x "$venv/bin/moto_server" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$spec" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec" >&2
  printf '%s' "$spec" > "$stamp"
fi
printf '%s\n' "$venv/bin/moto_server"
