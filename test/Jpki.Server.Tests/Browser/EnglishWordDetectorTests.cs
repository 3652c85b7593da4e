namespace Jpki.Server.Tests.Browser;

/// <summary>
/// The staff pages' Japanese check itself: it must find English text and must not read random identifiers as English
/// (a receipt id in base64url once failed a browser test at random).
/// </summary>
public sealed class EnglishWordDetectorTests
{
    [Theory]
    [InlineData("Please sign in", "Please, sign")]
    [InlineData("受付番号の一覧 Error", "Error")]
    [InlineData("NOT FOUND", "NOT, FOUND")]
    [InlineData("unknown_field を確認", "unknown_field")]
    public void FindsEnglishWords(string text, string expected) =>
        Assert.Equal(expected, string.Join(", ", StaffPage.EnglishWords(text)));

    [Theory]
    [InlineData("受付番号 IDl_RKoXrezHH")]
    [InlineData("受付番号 IDl_RKoXrezHH-3fAq")]
    [InlineData("受付番号 Xk-vQpLmNoRs_TuWx")]
    [InlineData("受付番号 abcDEFghi")]
    [InlineData("形式 CSV（UTF-8）と OpenJpki の name_kana 列")]
    public void IgnoresIdentifiersAndAllowedNames(string text) =>
        Assert.Empty(StaffPage.EnglishWords(text));
}
