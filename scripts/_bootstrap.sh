# Sourced by scripts/play and scripts/test. Defines `bootstrap [EXTRA]`: make .venv with the package installed
# (and the optional dependency group EXTRA, e.g. "test"), once, and again whenever pyproject.toml changes.
# A function, so the caller's own arguments (meant for roleplay or pytest) never reach it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"

bootstrap() {
  local extra=${1:-}
  local stamp="$venv/.installed${extra:+-$extra}"
  # A first run stopped half-way (Ctrl-C) can leave a .venv without pip: make it again rather than fail.
  if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    echo "正在准备运行环境，只在第一次… Setting up $venv (first run only)…" >&2
    python3 -m venv --clear "$venv"
    rm -f "$venv"/.installed*
  fi
  if [[ ! -f "$stamp" || "$root/pyproject.toml" -nt "$stamp" ]]; then
    echo "正在安装需要的软件包，大约一分钟，只在第一次… Installing what roleplay needs (about a minute, once)…" >&2
    "$venv/bin/python" -m pip install -qq --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/python" -m pip install -qq --disable-pip-version-check -e "$root${extra:+[$extra]}" >&2
    echo "装好了。 Done." >&2
    touch "$stamp"
  fi
}
