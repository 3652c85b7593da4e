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
}
