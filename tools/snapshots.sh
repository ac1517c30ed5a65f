#!/usr/bin/env bash
# Render the samples and turn page 1 (and 2) of each into PNG pictures in docs/.
# Needs LibreOffice and poppler-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
notice-gen render data/*.yaml -o "$work" --force >/dev/null
soffice --headless "-env:UserInstallation=file://$work/profile" --convert-to pdf \
  --outdir "$work" "$work"/*.docx >/dev/null
for pdf in "$work"/*.pdf; do
  pdftoppm -r 70 -png -f 1 -l 2 "$pdf" "docs/$(basename "${pdf%.pdf}")"
done
rm -rf "$work"
ls docs/*.png
