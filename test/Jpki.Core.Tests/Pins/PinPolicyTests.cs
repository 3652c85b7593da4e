using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jpki.Core.Pins;

namespace Jpki.Core.Tests.Pins;

public sealed class PinPolicyTests
{
    public static TheoryData<PinKind, string?, string> Refusals => new()
    {
        { PinKind.SignaturePassword, null, "pin-empty" },
        { PinKind.SignaturePassword, "", "pin-empty" },
        { PinKind.SignaturePassword, "AB12C", "pin-too-short" },
        { PinKind.SignaturePassword, "AB12CD34EF56GH78J", "pin-too-long" }, // 17
        { PinKind.SignaturePassword, "AB12C!", "pin-bad-character" },
        { PinKind.SignaturePassword, "AB12 CD", "pin-bad-character" },
        { PinKind.SignaturePassword, "ＡＢ１２ＣＤ", "pin-bad-character" }, // full-width
        { PinKind.SignaturePassword, "ÄB12CD", "pin-bad-character" },
        { PinKind.SignaturePassword, "ABCDEF", "pin-needs-digit" },
        { PinKind.SignaturePassword, "abcdefgh", "pin-needs-digit" },
        { PinKind.SignaturePassword, "135790", "pin-needs-letter" },
        { PinKind.AuthenticationPin, null, "pin-empty" },
        { PinKind.AuthenticationPin, "", "pin-empty" },
        { PinKind.AuthenticationPin, "739", "pin-too-short" },
        { PinKind.AuthenticationPin, "73915", "pin-too-long" },
        { PinKind.AuthenticationPin, "7a91", "pin-bad-character" },
        { PinKind.AuthenticationPin, "WXYZ", "pin-bad-character" },
        { PinKind.AuthenticationPin, "７３９１", "pin-bad-character" },
        { PinKind.CardPin, "", "pin-empty" },
        { PinKind.CardPin, "482", "pin-too-short" },
        { PinKind.CardPin, "48260", "pin-too-long" },
        { PinKind.CardPin, "48-6", "pin-bad-character" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Validate_BrokenRule_RefusesWithCode(PinKind kind, string? candidate, string code)
    {
        var outcome = PinPolicy.For(kind).Validate(candidate);
        Assert.False(outcome.IsAllowed);
        Assert.Equal(code, outcome.Code);
        Assert.Null(outcome.Value);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Message));
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Validate_Refusal_MessageNeverContainsCandidate(PinKind kind, string? candidate, string code)
    {
        _ = code;
        var message = PinPolicy.For(kind).Validate(candidate).Message!;
        if (!string.IsNullOrEmpty(candidate))
        {
            // Assert.True rather than DoesNotContain so that a failure does not print the candidate.
            Assert.True(!message.Contains(candidate, StringComparison.OrdinalIgnoreCase), "the refusal message echoes the candidate");
        }
    }

    [Theory]
    [InlineData(PinKind.SignaturePassword, "abc123", "ABC123")]
    [InlineData(PinKind.SignaturePassword, "A1b2C3d4", "A1B2C3D4")]
    [InlineData(PinKind.SignaturePassword, "1A2B3C", "1A2B3C")]
    [InlineData(PinKind.SignaturePassword, "ZZZZZZZZZZZZZZZ9", "ZZZZZZZZZZZZZZZ9")] // 16
    [InlineData(PinKind.AuthenticationPin, "0000", "0000")]
    [InlineData(PinKind.AuthenticationPin, "9876", "9876")]
    [InlineData(PinKind.CardPin, "1234", "1234")]
    public void Validate_Valid_ReturnsNormalisedValue(PinKind kind, string candidate, string expected)
    {
        var outcome = PinPolicy.For(kind).Validate(candidate);
        Assert.True(outcome.IsAllowed);
        Assert.Null(outcome.Code);
        Assert.Null(outcome.Message);
        Assert.Equal(expected, outcome.Value);
    }

    [Theory]
    [InlineData(PinKind.SignaturePassword, 6, 16, 5)]
    [InlineData(PinKind.AuthenticationPin, 4, 4, 3)]
    [InlineData(PinKind.CardPin, 4, 4, 3)]
    public void For_Kind_HasReferenceLimits(PinKind kind, int min, int max, int tries)
    {
        var policy = PinPolicy.For(kind);
        Assert.Equal(kind, policy.Kind);
        Assert.Equal((min, max, tries), (policy.MinLength, policy.MaxLength, policy.MaxTries));
        Assert.Contains($"{tries} tries", policy.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void For_UnknownKind_Throws()
        => Assert.Equal("kind", Assert.Throws<ArgumentOutOfRangeException>(() => PinPolicy.For((PinKind)99)).ParamName);

    private static readonly char[] Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%".ToCharArray();

    /// <summary>Candidates with a letter and a digit and no spaces: no word or number of a message can equal them by chance.</summary>
    private static Arbitrary<string> Candidates()
        => Gen.ArrayOf(Gen.Elements(Alphabet))
            .Select(chars => new string(chars))
            .Where(s => s.Length >= 2 && s.Any(char.IsAsciiLetter) && s.Any(char.IsAsciiDigit))
            .ToArbitrary();

    [Property(MaxTest = 500)]
    public Property Validate_AnyCandidate_MessageNeverContainsIt()
        => Prop.ForAll(Candidates(), candidate =>
            Enum.GetValues<PinKind>().All(kind =>
            {
                var outcome = PinPolicy.For(kind).Validate(candidate);
                return outcome.IsAllowed
                    || (!outcome.Message!.Contains(candidate, StringComparison.OrdinalIgnoreCase)
                        && !outcome.Message.Contains(candidate.ToUpperInvariant(), StringComparison.Ordinal));
            }));

    [Property(MaxTest = 500)]
    public Property Validate_SignatureAllowed_IsUppercaseAlnumOfAllowedLength()
        => Prop.ForAll(Candidates(), candidate =>
        {
            var outcome = PinPolicy.For(PinKind.SignaturePassword).Validate(candidate);
            var expectAllowed = candidate.Length is >= 6 and <= 16 && candidate.All(char.IsAsciiLetterOrDigit);
            return outcome.IsAllowed == expectAllowed
                && (!outcome.IsAllowed || outcome.Value == candidate.ToUpperInvariant());
        });
}
