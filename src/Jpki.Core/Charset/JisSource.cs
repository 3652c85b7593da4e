namespace Jpki.Core.Charset;

/// <summary>Which part of the JPKI character set a Unicode scalar belongs to (the sections of <c>repertoire.tsv</c>).</summary>
internal enum JisSource : byte
{
    None = 0,
    X0208NonKanji,
    X0208Kanji,
    X0208Alias,
    X0212NonKanji,
    X0212Kanji,
}
