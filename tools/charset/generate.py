#!/usr/bin/env python3
"""Generates the JPKI character tables embedded in Jpki.Core (src/Jpki.Core/Charset/Data/*.tsv).

JPKI certificates may carry only JIS X 0208 (levels 1 and 2) and JIS X 0212 characters (JPKI-REFERENCE §9).
This script derives, from maintained sources only (nothing is typed by hand):

  repertoire.tsv   the allowed Unicode scalars, as ranges, each tagged with the standard it comes from
  substitutes.tsv  for every other scalar that has one, the ordered candidate substitutes (代替文字)

Sources, and which part each one decides:
  * Unihan (Debian package unicode-data, /usr/share/unicode/Unihan_*.txt.bz2 or Unihan.zip):
      - kJis0 / kJis1 (Unihan_OtherMappings): the kanji of JIS X 0208 (rows 16-84) and JIS X 0212 (rows 16-77).
        kIRG_JSource is NOT used for the repertoire: it gives one J source per ideograph and prefers the JIS X 0213
        source (J13/J14) for about half of the JIS X 0212 kanji, so its J1 values cover only 3058 of the 5801.
      - kZVariant, kSemanticVariant, kSpecializedSemanticVariant, kSpoofingVariant, kTraditionalVariant,
        kSimplifiedVariant (Unihan_Variants) and kCompatibilityVariant (Unihan_IRGSources): the candidates.
  * Python's codecs (the JIS tables of CPython's CJK codecs):
      - 'euc_jp': the non-kanji of JIS X 0208 (rows 1-8) and of JIS X 0212 (rows 2-11); the kanji are
        cross-checked against Unihan and the script fails if the two sources disagree.
      - 'cp932': for six JIS X 0208 positions Microsoft's table gives another Unicode scalar than the JIS table
        (1-33 U+FF5E, 1-34 U+2225, 1-61 U+FF0D, 1-81 U+FFE0, 1-82 U+FFE1, 2-44 U+FFE2). Both scalars denote the same
        JIS character, and addresses on test cards use U+FF0D (－), so both are allowed ("alias" ranges).
  * Python's unicodedata (NFKC): compatibility candidates ('nfkc', e.g. ① -> １, ㈱ -> （株）) and width folds
    ('width': half-width katakana -> full-width, and half-width ASCII -> full-width, the inverse of NFKC restricted
    to the repertoire: 'A' -> 'Ａ', '-' -> '－', ' ' -> '　'). JpkiCharset applies width folds as normalisation.

Run:  python3 tools/charset/generate.py [--unicode-dir /usr/share/unicode] [--out src/Jpki.Core/Charset/Data]
The output is deterministic: the same inputs give byte-identical files (a test checks the committed files).
"""

from __future__ import annotations

import argparse
import bz2
import io
import os
import re
import sys
import unicodedata
import zipfile
from collections import defaultdict

COMMAND = "python3 tools/charset/generate.py --out src/Jpki.Core/Charset/Data"

# Candidate kinds, in priority order. The tag is written into substitutes.tsv and read by JpkiCharset.
KINDS = ["compat", "width", "nfkc", "z", "semantic", "specialized", "spoofing", "traditional", "simplified"]
VARIANT_FIELDS = {
    "kZVariant": "z",
    "kSemanticVariant": "semantic",
    "kSpecializedSemanticVariant": "specialized",
    "kSpoofingVariant": "spoofing",
    "kTraditionalVariant": "traditional",
    "kSimplifiedVariant": "simplified",
}
# Relations TR38 describes as symmetric; Unihan does not always list both directions, so the reverse is added.
SYMMETRIC = {"z", "semantic", "spoofing"}


def fail(message: str) -> None:
    print(f"generate.py: {message}", file=sys.stderr)
    sys.exit(1)


def read_unihan(unicode_dir: str, name: str) -> str:
    """Reads Unihan_<name>.txt from Debian's layout (.txt.bz2 files) or from Unihan.zip."""
    bz = os.path.join(unicode_dir, f"Unihan_{name}.txt.bz2")
    if os.path.exists(bz):
        with bz2.open(bz, "rt", encoding="utf-8") as f:
            return f.read()
    zpath = os.path.join(unicode_dir, "Unihan.zip")
    if os.path.exists(zpath):
        with zipfile.ZipFile(zpath) as z:
            return z.read(f"Unihan_{name}.txt").decode("utf-8")
    fail(f"Unihan data not found in {unicode_dir}: apt-get install unicode-data")
    raise AssertionError


def parse_unihan(text: str) -> tuple[dict[str, dict[int, str]], str]:
    fields: dict[str, dict[int, str]] = defaultdict(dict)
    version = "unknown"
    for line in io.StringIO(text):
        if line.startswith("# Unicode version:"):
            version = line.split(":", 1)[1].strip()
        if not line.startswith("U+"):
            continue
        cp, field, value = line.rstrip("\n").split("\t")
        fields[field][int(cp[2:], 16)] = value
    return fields, version


def euc_jp_plane(prefix: bytes) -> dict[tuple[int, int], int]:
    """Every (row, cell) of one JIS plane that CPython's euc_jp decodes to a single scalar."""
    out: dict[tuple[int, int], int] = {}
    for row in range(1, 95):
        for cell in range(1, 95):
            try:
                s = (prefix + bytes([0xA0 + row, 0xA0 + cell])).decode("euc_jp")
            except UnicodeDecodeError:
                continue
            if len(s) == 1:
                out[(row, cell)] = ord(s)
    return out


def shift_jis(row: int, cell: int) -> bytes:
    j1, j2 = row + 0x20, cell + 0x20
    s1 = ((j1 + 1) >> 1) + (0x70 if j1 <= 0x5E else 0xB0)
    if j1 % 2:
        s2 = j2 + 0x1F + (1 if j2 + 0x1F >= 0x7F else 0)
    else:
        s2 = j2 + 0x7E
    return bytes([s1, s2])


def kuten(value: str) -> tuple[int, int]:
    return int(value[:2]), int(value[2:])


def build_repertoire(other: dict[str, dict[int, str]]) -> dict[int, str]:
    x0208 = euc_jp_plane(b"")
    x0212 = euc_jp_plane(b"\x8f")
    unihan0 = {kuten(v): cp for cp, v in other["kJis0"].items() if kuten(v)[0] >= 16}
    unihan1 = {kuten(v): cp for cp, v in other["kJis1"].items() if kuten(v)[0] >= 16}
    codec0 = {k: v for k, v in x0208.items() if k[0] >= 16}
    codec1 = {k: v for k, v in x0212.items() if k[0] >= 16}
    if unihan0 != codec0:
        fail("JIS X 0208 kanji: Unihan kJis0 and Python euc_jp disagree")
    if unihan1 != codec1:
        fail("JIS X 0212 kanji: Unihan kJis1 and Python euc_jp disagree")

    rep: dict[int, str] = {}
    for (row, _), cp in sorted(x0208.items()):
        rep[cp] = "x0208-kanji" if row >= 16 else "x0208-nonkanji"
    for (row, _), cp in sorted(x0212.items()):
        if cp in rep:
            fail(f"U+{cp:04X} is in both JIS X 0208 and JIS X 0212")
        rep[cp] = "x0212-kanji" if row >= 16 else "x0212-nonkanji"
    for (row, cell), cp in sorted(x0208.items()):
        alias = shift_jis(row, cell).decode("cp932")
        if len(alias) != 1:
            fail(f"cp932 decodes {row}-{cell} to {len(alias)} scalars")
        if ord(alias) != cp:
            if ord(alias) in rep:
                fail(f"cp932 alias U+{ord(alias):04X} of {row}-{cell} collides")
            rep[ord(alias)] = "x0208-alias"
    return rep


def parse_variant_value(value: str) -> list[tuple[int, int]]:
    """'U+5D0E<kMorohashi:Z U+57FC' -> [(0x5D0E, rank), ...]; rank orders semantic variants: Z, T, plain, B."""
    out = []
    for token in value.split():
        m = re.match(r"U\+([0-9A-F]+)(?:<(.*))?$", token)
        if not m:
            fail(f"unexpected variant token {token!r}")
        target = int(m.group(1), 16)
        notes = m.group(2)
        if notes is None:
            rank = 2
        else:
            types = "".join(part.split(":", 1)[1] for part in notes.split(",") if ":" in part)
            rank = 0 if "Z" in types else 1 if "T" in types else 3 if "B" in types else 2
        out.append((target, rank))
    return out


def width_or_nfkc(cp: int) -> str:
    """'width' when cp's compatibility mapping is only a change of width (<wide>, <narrow>): normalisation, not 代替文字."""
    return "width" if unicodedata.decomposition(chr(cp)).split(" ")[0] in ("<wide>", "<narrow>") else "nfkc"


def build_substitutes(rep: dict[int, str], irg: dict[str, dict[int, str]],
                      variants: dict[str, dict[int, str]]) -> dict[int, list[tuple[str, str]]]:
    # (kind index, rank, order) -> candidates per source scalar
    cands: dict[int, list[tuple[int, int, int, tuple[int, ...], str]]] = defaultdict(list)
    order = 0

    def add(src: int, target: tuple[int, ...], kind: str, rank: int) -> None:
        nonlocal order
        if src in rep or not target or any(t not in rep for t in target):
            return
        order += 1
        cands[src].append((KINDS.index(kind), rank, order, target, kind))

    for src, value in sorted(irg["kCompatibilityVariant"].items()):
        for target, _ in parse_variant_value(value):
            add(src, (target,), "compat", 0)

    # Width forms: the inverse of NFKC on the repertoire, e.g. 'A' -> 'Ａ', ' ' -> '　', '-' -> '－'.
    widen: dict[int, list[int]] = defaultdict(list)
    for cp in sorted(rep):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if len(folded) == 1 and ord(folded) not in rep:
            widen[ord(folded)].append(cp)
    for src, targets in sorted(widen.items()):
        # Prefer the full-width forms block and the ideographic space, then code point order.
        for target in sorted(targets, key=lambda t: (not (0xFF00 <= t <= 0xFFEF or t == 0x3000), t)):
            add(src, (target,), width_or_nfkc(target), 0)

    for src in range(0x110000):
        if src in rep or 0xD800 <= src <= 0xDFFF:
            continue
        ch = chr(src)
        folded = unicodedata.normalize("NFKC", ch)
        if folded == ch or folded == unicodedata.normalize("NFC", ch):
            continue  # no compatibility mapping, or only a canonical one (handled by NFC at run time)
        target = []
        for f in folded:
            if ord(f) in rep:
                target.append(ord(f))
            elif ord(f) in widen:
                target.append(sorted(widen[ord(f)], key=lambda t: (not (0xFF00 <= t <= 0xFFEF or t == 0x3000), t))[0])
            else:
                target = []
                break
        add(src, tuple(target), width_or_nfkc(src), 0)

    for field, kind in VARIANT_FIELDS.items():
        for src, value in sorted(variants[field].items()):
            for target, rank in parse_variant_value(value):
                add(src, (target,), kind, rank)
                if kind in SYMMETRIC:
                    add(target, (src,), kind, rank + 4)  # reverse direction after the listed one

    out: dict[int, list[tuple[str, str]]] = {}
    for src, items in cands.items():
        seen = set()
        ordered = []
        for _, _, _, target, kind in sorted(items):
            if target in seen:
                continue
            seen.add(target)
            ordered.append(("+".join(f"{t:04X}" for t in target), kind))
        out[src] = ordered
    return out


def ranges(rep: dict[int, str]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for cp in sorted(rep):
        tag = rep[cp]
        if out and out[-1][1] == cp - 1 and out[-1][2] == tag:
            out[-1] = (out[-1][0], cp, tag)
        else:
            out.append((cp, cp, tag))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--unicode-dir", default="/usr/share/unicode")
    parser.add_argument("--out", default="src/Jpki.Core/Charset/Data")
    args = parser.parse_args()

    irg, version = parse_unihan(read_unihan(args.unicode_dir, "IRGSources"))
    variants, _ = parse_unihan(read_unihan(args.unicode_dir, "Variants"))
    other, _ = parse_unihan(read_unihan(args.unicode_dir, "OtherMappings"))

    rep = build_repertoire(other)
    subs = build_substitutes(rep, irg, variants)

    counts = defaultdict(int)
    for tag in rep.values():
        counts[tag] += 1
    header = (f"# Generated by `{COMMAND}` (tools/charset/generate.py). Do not edit.\n"
              f"# Sources: Unihan {version} (Debian unicode-data), Python codecs euc_jp/cp932, "
              f"unicodedata {unicodedata.unidata_version} (NFKC).\n")

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "repertoire.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.write("# " + ", ".join(f"{k} {counts[k]}" for k in sorted(counts)) + f"; total {len(rep)}\n")
        f.write("# '@source' starts a section; then hex scalars and inclusive ranges first-last, 16 a line\n")
        for tag in sorted(counts):
            f.write(f"@{tag}\n")
            items = [f"{a:04X}" if a == b else f"{a:04X}-{b:04X}" for a, b, t in ranges(rep) if t == tag]
            for i in range(0, len(items), 16):
                f.write(" ".join(items[i:i + 16]) + "\n")
    with open(os.path.join(args.out, "substitutes.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.write(f"# {len(subs)} scalars; candidates in priority order, kinds: {' '.join(KINDS)}\n")
        f.write("# scalar\tcandidate:kind ... (a candidate of several scalars joins them with '+')\n")
        for src in sorted(subs):
            f.write(f"{src:04X}\t" + " ".join(f"{t}:{k}" for t, k in subs[src]) + "\n")


if __name__ == "__main__":
    main()
