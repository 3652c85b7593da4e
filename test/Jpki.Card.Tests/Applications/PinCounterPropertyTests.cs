using FsCheck;
using FsCheck.Fluent;
using Jpki.Card.Apdu;

namespace Jpki.Card.Tests.Applications;

public sealed class PinCounterPropertyTests
{
    /// <summary>
    /// Any sequence of right and wrong VERIFYs on the auth PIN behaves like the model: a wrong PIN costs a try
    /// (63 Cx), a right one restores the maximum (90 00), and once the counter is 0 every VERIFY answers 69 84.
    /// </summary>
    [Fact]
    public void Verify_AnySequence_MatchesCounterModel()
    {
        var attempts = ArbMap.Default.ArbFor<bool[]>().Filter(a => a.Length <= 8);
        Prop.ForAll(attempts, sequence =>
        {
            using var card = TestCard.Create();
            card.Sw(Apdus.SelectJpki);
            card.Sw(Apdus.SelectAuthPin);
            var tries = 3;
            foreach (var right in sequence)
            {
                ushort expected;
                if (tries == 0)
                {
                    expected = StatusWords.PinBlocked;
                }
                else if (right)
                {
                    tries = 3;
                    expected = StatusWords.Success;
                }
                else
                {
                    tries--;
                    expected = StatusWords.Retries(tries);
                }

                if (card.Sw(right ? Apdus.VerifyAuth1234 : Apdus.VerifyAuth9999) != expected)
                {
                    return false;
                }
            }

            return card.Sw(Apdus.RetryQuery) == StatusWords.Retries(tries);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }
}
