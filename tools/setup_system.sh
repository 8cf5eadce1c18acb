#!/usr/bin/env bash
# Installs (or, without apt-get, names) the system packages the book needs.
#   tools/setup_system.sh book   -> what building the site needs
#   tools/setup_system.sh test   -> that, plus what the tests need
set -euo pipefail
what="${1:-test}"

# Debian package -> how to tell it is present on any machine.
declare -A present=(
  [python3-venv]='python3 -c "import venv, ensurepip"'
  [npm]='command -v npm'
  [dataset-fashion-mnist]='test -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz'
  [fonts-noto-cjk]='fc-list :lang=zh 2>/dev/null | grep -q .'
  [chromium]='test -x /usr/bin/chromium'
)
needed=(python3-venv npm)
if [ "$what" = test ]; then
  needed+=(dataset-fashion-mnist fonts-noto-cjk chromium)
fi

missing=()
for pkg in "${needed[@]}"; do
  bash -c "${present[$pkg]}" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
  exit 0
fi

cat >&2 <<MSG
Missing system packages for 'make $what': ${missing[*]}
This machine has no apt-get (or you are not root), so install their equivalents yourself:
  python3-venv           Python's venv module (python.org installers include it)
  npm                    Node.js and npm (https://nodejs.org), for the site's offline JS assets
  dataset-fashion-mnist  Fashion-MNIST; or set D2LUTILS_DATA to a folder with the four idx files,
                         or let the tests download it on a machine with internet
  fonts-noto-cjk         a CJK font (Noto Sans CJK or WenQuanYi), so Chinese plots render
  chromium               a Chromium/Chrome at /usr/bin/chromium, for the browser tests
On Debian/Ubuntu, as root: apt-get install ${missing[*]}
MSG
exit 1
