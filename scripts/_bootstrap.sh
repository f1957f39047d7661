# Sourced by scripts/play and scripts/test: make .venv with the package installed, once.
# Usage: . scripts/_bootstrap.sh [extra]   (extra: "test" adds the test dependencies)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"
extra=${1:-}
stamp="$venv/.installed${extra:+-$extra}"
if [[ ! -x "$venv/bin/python" ]]; then
  echo "Setting up $venv (first run only)…" >&2
  python3 -m venv "$venv"
fi
# Reinstall when pyproject.toml changes, so a pull that adds a dependency just works.
if [[ ! -f "$stamp" || "$root/pyproject.toml" -nt "$stamp" ]]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$root${extra:+[$extra]}" >&2
  touch "$stamp"
fi
