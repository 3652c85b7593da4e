using System.Text.Json;

namespace Jpki.Cli.Tests.Rules;

public sealed class CharsetCommandTests
{
    [Fact]
    public async Task Charset_Substitutes_PrintsMappedTextFlagsAndCandidates()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "charset", "髙橋　\U00020BB7子");

        Assert.Equal(0, code);
        Assert.Contains("Text:  高橋　吉子", stdout, StringComparison.Ordinal);
        Assert.Contains("Flags: 10010", stdout, StringComparison.Ordinal);
        Assert.Contains("U+9AD9 → 高", stdout, StringComparison.Ordinal);
        Assert.Contains("U+20BB7 → 吉", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Charset_AllJis_ExitsZeroWithoutSubstitution()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "charset", "東京都千代田区１－２－３");

        Assert.Equal(0, code);
        Assert.Contains("Flags: 000000000000", stdout, StringComparison.Ordinal);
        Assert.Contains("no substitute needed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Charset_NoSubstitute_ExitsOneAndAsksForKana()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "charset", "\U00029E3D野　花子");

        Assert.Equal(1, code);
        Assert.Contains("U+29E3D: no substitute", stdout, StringComparison.Ordinal);
        Assert.Contains("--choose 0=", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Charset_KanaChosen_Json_IsComplete()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "charset", "\U00029E3D野", "--choose", "0=ほっけ", "--json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("ほっけ野", root.GetProperty("text").GetString());
        Assert.Equal("1110", root.GetProperty("flags").GetString());
        Assert.True(root.GetProperty("complete").GetBoolean());
        var substitution = root.GetProperty("substitutions")[0];
        Assert.Equal("U+29E3D", substitution.GetProperty("codePoint").GetString());
        Assert.True(substitution.GetProperty("chosenByCaller").GetBoolean());
    }

    [Fact]
    public async Task Charset_Json_ListsCandidatesWithKinds()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "charset", "\uFA11", "--json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var candidates = doc.RootElement.GetProperty("substitutions")[0].GetProperty("candidates");
        Assert.Equal("崎", candidates[0].GetProperty("text").GetString());
        Assert.Equal("family-register", candidates[0].GetProperty("kind").GetString());
        Assert.False(candidates[0].TryGetProperty("via", out _)); // a direct candidate names no character between
        Assert.True(candidates.GetArrayLength() > 1);
    }

    [Fact]
    public async Task Charset_Json_TwoStepCandidateNamesTheCharacterBetween()
    {
        // U+2F803 is the compatibility ideograph of 𠄢 (U+20122), itself outside the set; the 戸籍 relates 𠄢 to 亘.
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "charset", "\U0002F803", "--json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var first = doc.RootElement.GetProperty("substitutions")[0].GetProperty("candidates")[0];
        Assert.Equal("亘", first.GetProperty("text").GetString());
        Assert.Equal("family-register", first.GetProperty("kind").GetString());
        Assert.Equal("\U00020122", first.GetProperty("via").GetString());
    }

    [Theory]
    [InlineData("x")]
    [InlineData("0=髙")] // the choice itself is outside the set
    [InlineData("9=高")] // beyond the text
    [InlineData("1=高")] // position 1 (橋) needs no substitute
    public async Task Charset_BadChoice_ExitsTwo(string choice)
    {
        var (code, _, stderr) = await CliRunner.RunAsync("rules", "charset", "髙橋", "--choose", choice);

        Assert.Equal(2, code);
        Assert.StartsWith("error:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Charset_EmptyText_ExitsTwo()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("rules", "charset", " ");

        Assert.Equal(2, code);
        Assert.Contains("empty", stderr, StringComparison.Ordinal);
    }
}
