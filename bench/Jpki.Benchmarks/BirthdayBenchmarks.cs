using BenchmarkDotNet.Attributes;
using Jpki.Core.Time;

namespace Jpki.Benchmarks;

/// <summary>Birthday arithmetic sits under every validity and age rule.</summary>
[MemoryDiagnoser]
public class BirthdayBenchmarks
{
    private readonly DateOnly _birth = new(1980, 2, 29);
    private readonly DateOnly _issued = new(2026, 11, 25);

    [Benchmark(Baseline = true)]
    public DateOnly FifthBirthdayAfter() => Birthdays.NthBirthdayAfter(_birth, _issued, 5);

    [Benchmark]
    public int AgeOn() => Birthdays.AgeOn(_birth, _issued);
}
