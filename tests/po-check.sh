#!/usr/bin/env bash
# Fails when a translatable source is missing from po/POTFILES.in, or when
# po/it.po has an untranslated or fuzzy message for the current sources.
set -euo pipefail
src=${SP_SOURCE_ROOT:?}
cd "$src"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Every file with translatable strings is listed.
grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort >"$work/listed"
{
  grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"' src --include='*.c' || true
  grep -rl 'translatable="yes"' ui src data --include='*.ui' || true
  ls data/*.desktop.in* data/*.metainfo.xml.in* data/*.gschema.xml 2>/dev/null || true
} | sort -u >"$work/needed"
missing=$(comm -13 "$work/listed" "$work/needed")
if [[ -n $missing ]]; then
  echo "not ok 1 - files with translatable strings missing from po/POTFILES.in:"
  echo "$missing" | sed 's/^/#   /'
  exit 1
fi
echo "ok 1 - po/POTFILES.in lists every translatable file"

# 2. it.po covers every message of the current sources.
xgettext --files-from=po/POTFILES.in --directory="$src" --from-code=UTF-8 \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --add-comments --output="$work/sportello-pin.pot"
msgmerge --quiet --no-fuzzy-matching "po/it.po" "$work/sportello-pin.pot" -o "$work/it.po"
stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$work/it.po" 2>&1)
echo "# it.po: $stats"
if grep -qE 'untranslated|fuzzy' <<<"$stats"; then
  echo "not ok 2 - po/it.po is incomplete (run: build-aux/update-po)"
  msgattrib --untranslated "$work/it.po" | grep '^msgid' | head -20 | sed 's/^/#   /'
  exit 1
fi
echo "ok 2 - po/it.po translates every message"
echo "1..2"
