using FsCheck;
using FsCheck.Fluent;
using Jpki.Server.Counter;
using Jpki.Server.Errors;

namespace Jpki.Server.Tests.Robustness;

/// <summary>The text and argument checks behind the 400 answers, and the substitute-choice keys that used to throw.</summary>
public sealed class InputCheckTests
{
    public static TheoryData<string, string?> Texts => new()
    {
        { "山田　太郎", null },
        { "ヤマダ タロウ", null },
        { "髙橋𠮷野", null },
        { "\uE000私用", null },
        { "山田\u0378", "unassigned-code-point" },
        { "山田\uFFFE", "unassigned-code-point" },
        { "山田\uFFFF", "unassigned-code-point" },
        { "山田\U000E0080", "unassigned-code-point" },
        { "山田\uFFFD", "invalid-utf8" },
        { "山田\uD800", "invalid-text" },
        { "\uDC00山田", "invalid-text" },
        { "山田\0", "control-character" },
        { "山田\u001B", "control-character" },
        { "山田\n", "control-character" },
    };

    [Theory]
    [MemberData(nameof(Texts), DisableDiscoveryEnumeration = true)] // lone surrogates do not survive xUnit's serialisation
    public void Problem_Text_Code(string text, string? code) =>
        Assert.Equal(code, InputText.Problem(text, allowLineBreaks: false)?.Code);

    [Fact]
    public void Problem_LineBreaksAllowedInForms_Null() =>
        Assert.Null(InputText.Problem("一行目\r\n二行目\t", allowLineBreaks: true));

    [FsCheck.Xunit.Property]
    public Property Problem_AnyUtf16_NeverThrowsAndFlagsEveryLoneSurrogate() =>
        Prop.ForAll(ArbMap.Default.ArbFor<char[]>(), chars =>
        {
            var text = new string(chars);
            var problem = InputText.Problem(text, allowLineBreaks: true);
            return !HasLoneSurrogate(text) || problem is not null;
        });

    public static TheoryData<object?, string?> Arguments => new()
    {
        { new CounterJson.RevokeBody("R1", true, [Jpki.Core.Identity.CertificateKind.Signature]), null },
        { new CounterJson.RevokeBody("R1", true, [(Jpki.Core.Identity.CertificateKind)99]), "unknown-value" },
        { new CounterJson.CardBody("C1", (Jpki.Core.Identity.CardKind)0, new DateOnly(2035, 1, 1)), "unknown-value" },
        { new CounterJson.CardBody("C1", Jpki.Core.Identity.CardKind.MyNumberCard, DateOnly.MinValue), "date-out-of-range" },
        { new CounterJson.IssueBody("R1", "file:a.jpkicard", true, "1234", "ABC123", "5678", SubstituteChoices: new Dictionary<string, string> { ["髙"] = "高" }), null },
        { new CounterJson.IssueBody("R1", "file:a.jpkicard", true, "1234", "ABC123", "5678", SubstituteChoices: new Dictionary<string, string> { ["\uD800"] = "高" }), "invalid-text" },
        { new CounterJson.IssueBody("R1", "file:a.jpkicard", true, "1234", "ABC123", "5678", SubstituteChoices: new Dictionary<string, string> { ["髙"] = "\u0378" }), "unassigned-code-point" },
        { new string('a', InputText.MaxLength + 1), "text-too-long" },
        { DateOnly.MaxValue, "date-out-of-range" },
    };

    [Theory]
    [MemberData(nameof(Arguments), DisableDiscoveryEnumeration = true)]
    public void ArgumentCheck_Argument_Code(object? argument, string? code) =>
        Assert.Equal(code, ArgumentCheck.Problem(argument, "body", 0)?.Code);

    public static TheoryData<string> NoCharacterKeys => new() { "\uD800", "\uDC00", "a\uD800", "U+110000", "U+FFFFFFFF", "U+D800", "髙高" };

    [Theory]
    [MemberData(nameof(NoCharacterKeys), DisableDiscoveryEnumeration = true)]
    public void Choices_KeyThatIsNoCharacter_NullNotAnException(string key) =>
        Assert.Null(CounterJson.Choices(new Dictionary<string, string> { [key] = "x" }));

    [Fact]
    public void Choices_CharacterOrCodePoint_KeyedByCodePoint()
    {
        var choices = CounterJson.Choices(new Dictionary<string, string> { ["髙"] = "高", ["U+20BB7"] = "吉" });

        Assert.Equal(new Dictionary<int, string> { [0x9AD9] = "高", [0x20BB7] = "吉" }, choices);
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
