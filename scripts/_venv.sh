# Shared by scripts/run and scripts/test: create .venv once, (re)install when pyproject changes.
ensure_venv() {
  local extras="${1:-}"
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
  local stamp=".venv/.installed${extras:+-$extras}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
    touch "$stamp"
  fi
}

# Airbyte's TikTok Marketing source (tests/e2e/test_e2e_airbyte.py) pins its own versions
# (airbyte-cdk 6, Python < 3.12): it lives in a virtualenv of its own, never in .venv.
AIRBYTE_SOURCE="airbyte-source-tiktok-marketing==4.7.0"
ensure_airbyte_venv() {
  local stamp=".venv-airbyte/.installed-${AIRBYTE_SOURCE}"
  if [ -f "$stamp" ]; then
    return
  fi
  local python
  python="$(command -v python3.11 || command -v python3.10 || true)"
  if [ -z "$python" ]; then
    echo "Airbyte's source needs Python 3.10 or 3.11 (python3.11 not found)" >&2
    return 1
  fi
  "$python" -m venv .venv-airbyte
  .venv-airbyte/bin/python -m pip install --quiet --upgrade pip
  .venv-airbyte/bin/python -m pip install --quiet "$AIRBYTE_SOURCE"
  touch "$stamp"
}
