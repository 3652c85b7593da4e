#!/usr/bin/env python3
"""Generates the JPKI character tables embedded in Jpki.Core (src/Jpki.Core/Charset/Data/*.tsv).

JPKI certificates may carry only JIS X 0208 (levels 1 and 2) and JIS X 0212 characters (JPKI-REFERENCE §9).
This script derives, from maintained sources only (nothing is typed by hand):

  repertoire.tsv   the allowed Unicode scalars, as ranges, each tagged with the standard it comes from
  substitutes.tsv  for every other scalar that has one, the ranked candidate substitutes (代替文字)

Sources, and which part each one decides:
  * Unihan (Debian package unicode-data, /usr/share/unicode/Unihan_*.txt.bz2 or Unihan.zip):
      - kJis0 / kJis1 (Unihan_OtherMappings): the kanji of JIS X 0208 (rows 16-84) and JIS X 0212 (rows 16-77).
        kIRG_JSource is NOT used for the repertoire: it gives one J source per ideograph and prefers the JIS X 0213
        source (J13/J14) for about half of the JIS X 0212 kanji, so its J1 values cover only 3058 of the 5801.
      - kJoyoKanji / kJinmeiyoKanji: which kanji are 常用/人名用 (preferred among equal candidates), and their pairs
        ('2010:U+5FB3' on 德: the 人名用漢字 旧字体 and its 常用漢字; 'U+525D' on 剥: the 常用漢字表's 許容字体).
      - kZVariant, kSemanticVariant, kSpecializedSemanticVariant, kSpoofingVariant, kTraditionalVariant,
        kSimplifiedVariant (Unihan_Variants) and kCompatibilityVariant (Unihan_IRGSources): candidates.
  * Python's codecs (the JIS tables of CPython's CJK codecs):
      - 'euc_jp': the non-kanji of JIS X 0208 (rows 1-8) and of JIS X 0212 (rows 2-11); the kanji are
        cross-checked against Unihan and the script fails if the two sources disagree.
      - 'cp932': for six JIS X 0208 positions Microsoft's table gives another Unicode scalar than the JIS table
        (1-33 U+FF5E, 1-34 U+2225, 1-61 U+FF0D, 1-81 U+FFE0, 1-82 U+FFE1, 2-44 U+FFE2). Both scalars denote the same
        JIS character, and addresses on test cards use U+FF0D (－), so both are allowed ("alias" ranges).
  * Python's unicodedata (NFKC): compatibility candidates ('nfkc', e.g. ① -> １, ㈱ -> （株）) and width folds
    ('width': half-width katakana -> full-width, and half-width ASCII -> full-width, the inverse of NFKC restricted
    to the repertoire: 'A' -> 'Ａ', '-' -> '－', ' ' -> '　'). JpkiCharset applies width folds as normalisation.
  * tools/charset/data (committed; provenance and licences in data/README.md):
      - mj-shrink-map.tsv: the MJ縮退マップ Ver.1.2.0 (IPA, CC BY-SA 2.1 JP) relations of the 文字情報基盤 characters
        outside JIS X 0208/0212: JIS包摂規準・UCS統合規則 ('jis'), 戸籍 通達・通知 ('registry'), 法務省告示582号
        別表第四 ('immigration'), 辞書類等による関連字 and 読み・字形による類推 ('related'); pairs the 民一2842号通達 calls
        別字 (different characters) are never proposed by a loose relation.
      - cjkvi/*.txt (Kanji Database Project, MIT): 人名用漢字 別表第二 and 常用漢字表 / 表外漢字字体表 pairs
        ('standard'), JIS X 0213's related characters and annex variants ('jisx0213').

Ranking, per source character: candidates inside the set, direct ones and those two steps away through a character
that is itself outside the set (at least one step strong; the candidate keeps the weaker kind and names the step),
ordered by class (EXACT, STRONG, the rest), kind (KINDS order), direct before two steps, the source's own rank (順位,
ホップ数, Morohashi's z-variants first), 常用/人名用 before other kanji, how many sources agree, then source order.

Run:  python3 tools/charset/generate.py [--unicode-dir /usr/share/unicode] [--data-dir tools/charset/data]
                                        [--out src/Jpki.Core/Charset/Data]
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

# Candidate kinds. The tag is written into substitutes.tsv and read by JpkiCharset; candidates are ranked by class
# (EXACT, then STRONG, then the rest), then 常用/人名用 before other targets, then by this order.
KINDS = ["compat", "width", "nfkc", "standard", "jis", "registry", "z", "immigration", "jisx0213", "semantic",
         "related", "specialized", "spoofing", "traditional", "simplified"]
# The same character by Unicode's own definition.
EXACT = {"compat", "width", "nfkc"}
# The same character in another glyph or its official form: 常用漢字表 / 人名用漢字 / 表外漢字字体表 pairs, the MJ
#縮退マップ's JIS包摂規準・UCS統合規則, 戸籍 (親字・正字, 誤字俗字・正字一覧表, 正字・俗字等対照表) and 在留カード
# (法務省告示582号別表第四) relations, Unihan z-variants.
STRONG = {"standard", "jis", "registry", "z"}
# Kinds whose rank is a distance along a chain of forms of one character (the 戸籍統一文字's 親字・正字 hops: 㒳 -> 兩
# -> 両): there a 常用/人名用 form comes before a nearer rare one. Elsewhere the source's rank (順位 of the 告示,
# Morohashi's z-variants) orders different characters and comes first.
SAME_CHARACTER_CHAIN = {"registry"}
# Kinds kept even for a pair the 民一2842号通達 marks 別字 (a different character).
KEEP_WHEN_DIFFERENT = EXACT | {"standard", "jis"}
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


def standard_kanji(other: dict[str, dict[int, str]]) -> set[int]:
    """常用漢字 and 人名用漢字 (Unihan kJoyoKanji / kJinmeiyoKanji): the forms a register prefers."""
    return set(other["kJoyoKanji"]) | set(other["kJinmeiyoKanji"])


def standard_pairs(other: dict[str, dict[int, str]], data_dir: str) -> list[tuple[int, int, str]]:
    """Pairs of the official lists, as (a, b, source): 人名用漢字 (戸籍法施行規則 別表第二, its 一 (異体字) and 二 (旧字体 of
    常用漢字)), 常用漢字表 (康熙字典体 in parentheses, the five 許容字体) and 表外漢字字体表 (印刷標準字体 / 簡易慣用字体).
    Unihan's own pairs (kJinmeiyoKanji '2010:U+XXXX', kJoyoKanji 'U+XXXX') and the Kanji Database Project's lists."""
    pairs = []
    for field in ("kJinmeiyoKanji", "kJoyoKanji"):
        for cp, value in sorted(other[field].items()):
            for token in value.split():
                m = re.search(r"U\+([0-9A-F]+)$", token)
                if m:
                    pairs.append((cp, int(m.group(1), 16), field))
    for name, relations in (("jinmei-variants.txt", ("jinmei1/variant", "jinmei2/variant")),
                            ("joyo-variants.txt", ("joyo/variant",)),
                            ("hyogai-variants.txt", ("hyogai/variant",))):
        pairs.extend((a, b, name) for a, b in read_cjkvi(data_dir, name, relations))
    return pairs


def read_cjkvi(data_dir: str, name: str, relations: tuple[str, ...]) -> list[tuple[int, int]]:
    """'徳,jinmei2/variant,德' -> [(0x5FB3, 0x5FB7)]: the Kanji Database Project's triples (CSV, '#' comments)."""
    path = os.path.join(data_dir, "cjkvi", name)
    if not os.path.exists(path):
        fail(f"{path} is missing (tools/charset/data/README.md says where it comes from)")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(",")
            if line.startswith("#") or len(fields) < 3 or fields[1] not in relations:
                continue
            a, b = fields[0], fields[2]
            if len(a) != 1 or len(b) != 1:
                fail(f"{name}: unexpected line {line!r}")
            out.append((ord(a), ord(b)))
    return out


# MJ縮退マップ categories (tags of data/mj-shrink-map.tsv) -> candidate kind
MJ_KINDS = {
    "jis": "jis",
    "koseki": "registry", "zokuji": "registry", "seiji": "registry", "min2-5202": "registry",
    "moj582-1": "immigration", "moj582-2": "immigration",
    "dictionary": "related", "analogy": "related",
}


def read_mj(data_dir: str) -> tuple[list[tuple[int, int, str, int]], set[tuple[int, int]], str]:
    """The MJ縮退マップ extract: relations (source, target, kind, subrank) and the pairs marked 別字 (not the same character)."""
    path = os.path.join(data_dir, "mj-shrink-map.tsv")
    if not os.path.exists(path):
        fail(f"{path} is missing (tools/charset/extract_mj.py makes it)")
    relations, different = [], set()
    version = "unknown"
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                m = re.match(r"# MJ縮退マップ Ver\.([0-9.]+)", line)
                version = m.group(1) if m else version
                continue
            source, _, form, tag, target, rank = line.rstrip("\n").split("\t")
            src, dst = int(source, 16), int(target, 16)
            if tag == "betsuji":
                different.add((src, dst))
                continue
            if tag not in MJ_KINDS:
                fail(f"mj-shrink-map.tsv: unknown category {tag!r}")
            # 順位 (582) and ホップ数 (戸籍) count from 1; 類推 after 辞書; a glyph reachable only through an IVS after the
            # glyph that owns the code point.
            sub = (int(rank) - 1 if rank != "-" else 0) + (1 if tag in ("analogy", "moj582-2") else 0)
            relations.append((src, dst, MJ_KINDS[tag], sub * 2 + (1 if form == "ivs" else 0)))
    return relations, different, version


def build_substitutes(rep: dict[int, str], irg: dict[str, dict[int, str]], variants: dict[str, dict[int, str]],
                      other: dict[str, dict[int, str]], data_dir: str) -> tuple[dict[int, list[tuple[str, str]]], str]:
    standard = standard_kanji(other)
    # edges[src][target] -> list of evidence (kind index, subrank, order)
    edges: dict[int, dict[tuple[int, ...], list[tuple[int, int, int]]]] = defaultdict(lambda: defaultdict(list))
    order = 0

    def add(src: int, target: tuple[int, ...], kind: str, rank: int) -> None:
        nonlocal order
        if not target or target == (src,):
            return
        order += 1
        edges[src][target].append((KINDS.index(kind), rank, order))

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

    # The official lists' pairs relate two forms of one character: either may be the one outside the set.
    for a, b, _ in standard_pairs(other, data_dir):
        add(a, (b,), "standard", 0)
        add(b, (a,), "standard", 0)

    mj_relations, different, mj_version = read_mj(data_dir)
    for src, dst, kind, rank in mj_relations:
        add(src, (dst,), kind, rank)

    for name, relations in (("jisx0213-variants.txt", ("jisx0213/variant",)),
                            ("x0212-x0213-variants.txt", ("x0213-x0212/variants",))):
        for a, b in read_cjkvi(data_dir, name, relations):
            add(a, (b,), "jisx0213", 0)
            add(b, (a,), "jisx0213", 0)

    for field, kind in VARIANT_FIELDS.items():
        for src, value in sorted(variants[field].items()):
            for target, rank in parse_variant_value(value):
                add(src, (target,), kind, rank)
                if kind in SYMMETRIC:
                    add(target, (src,), kind, rank + 4)  # reverse direction after the listed one

    def allowed(target: tuple[int, ...]) -> bool:
        return all(t in rep for t in target)

    def klass(kind_index: int) -> int:
        return 0 if KINDS[kind_index] in EXACT else 1 if KINDS[kind_index] in STRONG else 2

    out: dict[int, list[tuple[str, str]]] = {}
    for src in sorted(edges):
        if src in rep:
            continue
        # best evidence per target: (class, kind index, hops, subrank, order, via); hops = 2 through a character that is
        # itself outside the set (德 -> 徳 for a register glyph whose JIS X 0213 form is 德), at least one link strong.
        best: dict[tuple[int, ...], tuple[int, int, int, int, int, int]] = {}
        support: dict[tuple[int, ...], set[int]] = defaultdict(set)

        def offer(target: tuple[int, ...], evidence: tuple[int, int, int, int, int, int], kind_index: int) -> None:
            if len(target) == 1 and (src, target[0]) in different and KINDS[kind_index] not in KEEP_WHEN_DIFFERENT:
                return  # the 民一2842号通達 calls them different characters (別字)
            support[target].add(kind_index)
            if target not in best or evidence < best[target]:
                best[target] = evidence

        for target, evidences in edges[src].items():
            for kind_index, rank, seq in evidences:
                if allowed(target):
                    offer(target, (klass(kind_index), kind_index, 1, rank, seq, 0), kind_index)
        for middle, first in edges[src].items():
            if len(middle) != 1 or allowed(middle) or middle[0] == src:
                continue
            k1 = min(first)
            for target, second in edges.get(middle[0], {}).items():
                if target == (src,) or not allowed(target) or target in best and best[target][2] == 1:
                    continue
                k2 = min(second)
                if klass(k1[0]) == 2 and klass(k2[0]) == 2:
                    continue  # two loose relations make no substitute
                kind_index = max(k1[0], k2[0])
                offer(target, (max(klass(k1[0]), klass(k2[0])), kind_index, 2, max(k1[1], k2[1]), k1[2] * 1_000_000 + k2[2], middle[0]),
                      kind_index)

        def key(target: tuple[int, ...]) -> tuple[int, ...]:
            cls, kind_index, hops, rank, seq, _ = best[target]
            rare = 0 if cls == 0 or target[0] in standard else 1
            if KINDS[kind_index] in SAME_CHARACTER_CHAIN:
                return (cls, kind_index, hops, rare, rank, -len(support[target]), seq)
            return (cls, kind_index, hops, rank, rare, -len(support[target]), seq)

        ordered = sorted(best, key=key)
        if ordered:
            out[src] = [("+".join(f"{t:04X}" for t in target), KINDS[best[target][1]] + (f"@{best[target][5]:04X}" if best[target][5] else ""))
                        for target in ordered]
    return out, mj_version


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
    parser.add_argument("--data-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    parser.add_argument("--out", default="src/Jpki.Core/Charset/Data")
    args = parser.parse_args()

    irg, version = parse_unihan(read_unihan(args.unicode_dir, "IRGSources"))
    variants, _ = parse_unihan(read_unihan(args.unicode_dir, "Variants"))
    other, _ = parse_unihan(read_unihan(args.unicode_dir, "OtherMappings"))

    rep = build_repertoire(other)
    subs, mj_version = build_substitutes(rep, irg, variants, other, args.data_dir)

    counts = defaultdict(int)
    for tag in rep.values():
        counts[tag] += 1
    header = (f"# Generated by `{COMMAND}` (tools/charset/generate.py). Do not edit.\n"
              f"# Sources: Unihan {version} (Debian unicode-data), Python codecs euc_jp/cp932, "
              f"unicodedata {unicodedata.unidata_version} (NFKC), MJ縮退マップ {mj_version} (IPA, CC BY-SA 2.1 JP), "
              f"Kanji Database Project variants (MIT).\n")

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
