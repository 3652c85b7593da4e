using Jpki.Core.Rules;

namespace Jpki.Core.Tests.Rules;

public sealed class RuleOutcomeTests
{
    [Fact]
    public void Allow_HasValueAndNoCode()
    {
        var outcome = RuleOutcome<int>.Allow(42);
        Assert.True(outcome.IsAllowed);
        Assert.Equal(42, outcome.GetValueOrThrow());
        Assert.Null(outcome.Code);
    }

    [Fact]
    public void Refuse_GetValueOrThrow_NamesCode()
    {
        var outcome = RuleOutcome<int>.Refuse("some-code", "A sentence.");
        Assert.False(outcome.IsAllowed);
        Assert.Contains("some-code", Assert.Throws<InvalidOperationException>(() => outcome.GetValueOrThrow()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "A sentence.")]
    [InlineData(" ", "A sentence.")]
    [InlineData("code", "")]
    public void Refuse_BlankCodeOrMessage_Throws(string code, string message)
        => Assert.ThrowsAny<ArgumentException>(() => RuleOutcome<int>.Refuse(code, message));

    [Fact]
    public void Default_IsRefused_NotDecided()
    {
        // An outcome nobody assigned (a field, an array slot, a forgotten branch) must never let a request through.
        RuleOutcome<int> unassigned = default;
        Assert.False(unassigned.IsAllowed);
        Assert.Equal(Refusal.NotDecidedCode, unassigned.Code);
        Assert.False(string.IsNullOrWhiteSpace(unassigned.Message));
        Assert.Throws<InvalidOperationException>(() => unassigned.GetValueOrThrow());
        Assert.False(new RuleOutcome<bool>[1].Single().IsAllowed);
        Assert.False(default(RuleOutcome<object?>).IsAllowed);
    }

    [Fact]
    public void Refused_PassesCodeSentenceAndDataOn()
    {
        var wrongPin = RuleOutcome<int>.Refuse("card-pin-wrong", "The card PIN is wrong.", new RefusalData { TriesLeft = 2 });
        var passed = wrongPin.Refused<string>();
        Assert.False(passed.IsAllowed);
        Assert.Equal("card-pin-wrong", passed.Code);
        Assert.Equal(2, passed.Data!.TriesLeft);
        Assert.Throws<InvalidOperationException>(() => RuleOutcome<int>.Allow(1).Refused<string>());
        Assert.Equal(Refusal.NotDecidedCode, default(RuleOutcome<int>).Refused<string>().Code);
    }

    [Fact]
    public void Allowed_HasNoRefusal()
    {
        var outcome = RuleOutcome<string?>.Allow(null);
        Assert.True(outcome.IsAllowed);
        Assert.Null(outcome.Refusal);
        Assert.Null(outcome.Data);
    }
}
