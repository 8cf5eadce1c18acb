#!/usr/bin/env bash
# Installs (or, without apt-get, names) the system packages the book needs.
#   tools/setup_system.sh book   -> what building the site needs
#   tools/setup_system.sh test   -> that, plus what the tests need (the PDF set included)
#   tools/setup_system.sh pdf    -> that of `book`, plus XeLaTeX and the rest of `make pdf`
set -euo pipefail
what="${1:-test}"

# Debian package -> how to tell it is present on any machine.
declare -A present=(
  [python3-venv]='python3 -c "import venv, ensurepip"'
  [npm]='command -v npm'
  [dataset-fashion-mnist]='test -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz'
  [fonts-noto-cjk]='fc-list :lang=zh 2>/dev/null | grep -q .'
  [chromium]='test -x /usr/bin/chromium'
  # The PDFs (`make pdf`): XeLaTeX with ctex/xeCJK and Sphinx's LaTeX packages, latexmk, rsvg-convert
  # for the SVG figures, Sphinx's Latin fonts, and poppler's pdftotext/pdftoppm for the PDF tests.
  [texlive-xetex]='command -v xelatex'
  [texlive-lang-chinese]='kpsewhich ctex.sty | grep -q .'
  [texlive-latex-extra]='kpsewhich fncychap.sty | grep -q .'
  [latexmk]='command -v latexmk'
  [librsvg2-bin]='command -v rsvg-convert'
  [fonts-freefont-otf]='fc-list FreeSerif 2>/dev/null | grep -q .'
  [fonts-dejavu-core]='fc-list "DejaVu Sans Mono" 2>/dev/null | grep -q .'
  [poppler-utils]='command -v pdftotext && command -v pdftoppm'
)
pdf_set=(texlive-xetex texlive-lang-chinese texlive-latex-extra latexmk librsvg2-bin fonts-noto-cjk
         fonts-freefont-otf fonts-dejavu-core poppler-utils)
needed=(python3-venv npm)
if [ "$what" = test ]; then
  needed+=(dataset-fashion-mnist fonts-noto-cjk chromium "${pdf_set[@]}")
elif [ "$what" = pdf ]; then
  needed+=("${pdf_set[@]}")
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
  texlive-*, latexmk     TeX Live with XeLaTeX, ctex/xeCJK (Chinese) and latexmk, for the PDFs
  librsvg2-bin           rsvg-convert, which turns the SVG figures into PDF for LaTeX
  fonts-freefont-otf     FreeSerif/FreeSans, Sphinx's fonts for Latin text in the PDFs
  poppler-utils          pdftotext and pdftoppm, which the PDF tests read the PDFs with
On Debian/Ubuntu, as root: apt-get install ${missing[*]}
MSG
exit 1
