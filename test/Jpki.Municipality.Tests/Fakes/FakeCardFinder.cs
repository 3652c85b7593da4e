using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Tests.Fakes;

/// <summary>Finds the given fake cards by number, as the counter finds its virtual card files; <see cref="Absent"/> hides them all.</summary>
public sealed class FakeCardFinder(params FakeCard[] cards) : ICounterCardFinder
{
    public bool Absent { get; set; }

    public int Lookups { get; private set; }

    public Task<ICounterCard?> FindAsync(string cardId, CancellationToken cancellationToken)
    {
        Lookups++;
        return Task.FromResult<ICounterCard?>(Absent ? null : cards.FirstOrDefault(c => c.Info.CardId == cardId));
    }
}
