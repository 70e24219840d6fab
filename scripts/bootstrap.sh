# Sourced by ./xxgk and ./run-tests: makes sure the pinned uv is available as $UV.
# On a fresh machine with only Python, uv is installed from PyPI into .tools/ in the project.
UV_VERSION=0.13.8
if command -v uv >/dev/null 2>&1 && [ "$(uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
    UV=uv
else
    UV="$ROOT/.tools/bin/uv"
    if [ ! -x "$UV" ] || [ "$("$UV" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
        echo "installing uv $UV_VERSION into $ROOT/.tools" >&2
        python3 -m venv "$ROOT/.tools"
        "$ROOT/.tools/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
    fi
fi
# Never fetch a Python build from the network: use the machine's own interpreter.
export UV_PYTHON_DOWNLOADS=never
# Trust the machine's certificate store (some networks re-sign TLS with their own CA).
export UV_SYSTEM_CERTS="${UV_SYSTEM_CERTS:-1}"
