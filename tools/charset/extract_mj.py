#!/usr/bin/env python3
"""Extracts the relations of the MJ縮退マップ (MJ Shrink Map) that the JPKI substitution table needs, into
tools/charset/data/mj-shrink-map.tsv.

The MJ縮退マップ Ver.1.2.0 and the MJ文字情報一覧表 are works of IPA (独立行政法人情報処理推進機構), published by the
文字情報技術促進協議会 under CC BY-SA 2.1 JP. They are read here from the SQLite database of the npm package
@mandel59/mojidata (tables `mji` and `mjsm_*`), which bundles both unmodified in content (its download.txt names
the official files and their SHA-256). The shrink map names its source characters by MJ glyph name only; the MJ
list gives each glyph's Unicode form.

  npm pack @mandel59/mojidata@1.8.1 && tar xzf mandel59-mojidata-1.8.1.tgz
  python3 tools/charset/extract_mj.py package/dist/moji.db > tools/charset/data/mj-shrink-map.tsv

Kept: every relation of a glyph whose Unicode form (implemented UCS, or the corresponding UCS for a glyph reachable
only through an IVS) lies outside JIS X 0208 and JIS X 0212 (CPython's euc_jp), to another character. Relations to
the glyph's own code point ("already JIS X 0213") are dropped. The output is sorted and deterministic.
"""

from __future__ import annotations

import sqlite3
import sys

# moji.db table -> (category of the shrink map JSON, tag written into the extract)
TABLES = [
    ("mjsm_JIS包摂規準UCS統合規則", "JIS包摂規準・UCS統合規則", "jis"),
    ("mjsm_戸籍統一文字情報_親字正字", "法務省戸籍法関連通達・通知/戸籍統一文字情報 親字・正字", "koseki"),
    ("mjsm_民一2842号通達別表_誤字俗字正字一覧表_俗字", "法務省戸籍法関連通達・通知/民一2842号通達別表 誤字俗字・正字一覧表 俗字", "zokuji"),
    ("mjsm_民一2842号通達別表_誤字俗字正字一覧表_無印", "法務省戸籍法関連通達・通知/民一2842号通達別表 誤字俗字・正字一覧表 (無印)", "seiji"),
    ("mjsm_民一2842号通達別表_誤字俗字正字一覧表_別字", "法務省戸籍法関連通達・通知/民一2842号通達別表 誤字俗字・正字一覧表 別字", "betsuji"),
    ("mjsm_民二5202号通知別表_正字俗字等対照表", "法務省戸籍法関連通達・通知/民二5202号通知別表 正字・俗字等対照表", "min2-5202"),
    ("mjsm_法務省告示582号別表第四_一", "法務省告示582号別表第四 一", "moj582-1"),
    ("mjsm_法務省告示582号別表第四_二", "法務省告示582号別表第四 二", "moj582-2"),
    ("mjsm_辞書類等による関連字", "辞書類等による関連字", "dictionary"),
    ("mjsm_読み字形による類推", "読み・字形による類推", "analogy"),
]


def in_jis_0208_0212(ch: str) -> bool:
    try:
        ch.encode("euc_jp")
        return True
    except UnicodeEncodeError:
        return False


def main() -> None:
    if len(sys.argv) != 2:
        print("usage: extract_mj.py path/to/moji.db > mj-shrink-map.tsv", file=sys.stderr)
        sys.exit(2)
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    glyphs = {}
    for name, corresponding, implemented in db.execute('select "MJ文字図形名", "対応するUCS", "実装したUCS" from mji'):
        source = implemented or corresponding
        if source is None or len(source) != 1 or in_jis_0208_0212(source):
            continue
        glyphs[name] = (ord(source), "ucs" if implemented else "ivs")

    rows = set()
    for table, _, tag in TABLES:
        rank_column = {"koseki": '"ホップ数"', "moj582-1": '"順位"', "moj582-2": '"順位"'}.get(tag, "''")
        for name, target, rank in db.execute(f'select "MJ文字図形名", "縮退UCS", {rank_column} from "{table}"'):
            if name not in glyphs or len(target) != 1:
                continue
            source, form = glyphs[name]
            if ord(target) == source:
                continue
            rows.add((source, name, form, tag, ord(target), str(rank) if rank not in (None, "") else "-"))

    out = sys.stdout
    out.write("# MJ縮退マップ Ver.1.2.0 and MJ文字情報一覧表 (glyph -> Unicode): (c) IPA (独立行政法人情報処理推進機構),\n")
    out.write("# published by 文字情報技術促進協議会, https://moji.or.jp/mojikiban/map/ ; licence CC BY-SA 2.1 JP\n")
    out.write("# (https://creativecommons.org/licenses/by-sa/2.1/jp/). This file is an extract (an adaptation) under the same\n")
    out.write("# licence, made by tools/charset/extract_mj.py from @mandel59/mojidata 1.8.1 dist/moji.db. See data/README.md.\n")
    out.write("# categories: " + "; ".join(f"{tag} = {category}" for _, category, tag in TABLES) + "\n")
    out.write("# source\tMJ glyph\tform (ucs: implemented UCS, ivs: only through an IVS)\tcategory\ttarget\trank (順位, ホップ数) or -\n")
    for source, name, form, tag, target, rank in sorted(rows):
        out.write(f"{source:04X}\t{name}\t{form}\t{tag}\t{target:04X}\t{rank}\n")


if __name__ == "__main__":
    main()
