using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Registry;

/// <summary>The §8.3 linkage part of the contract.</summary>
public abstract partial class RegistryContractTests
{
    [Fact]
    public async Task FindCounterpartsAsync_SignCertificate_ReturnsTheAuthCertificateOnTheSameCard()
    {
        await Store.AddAsync(TestRecords.Create("40", CertificateKind.Signature, card: "C1", holder: "H1"), Ct);
        await Store.AddAsync(TestRecords.Create("41", CertificateKind.Authentication, card: "C1", holder: "H1"), Ct);
        await Store.AddAsync(TestRecords.Create("42", CertificateKind.Authentication, card: "C2", holder: "H1"), Ct);
        await Store.AddAsync(TestRecords.Create("43", CertificateKind.Authentication, card: "C1", holder: "H2"), Ct);

        Assert.Equal(["41"], (await Store.FindCounterpartsAsync("40", Ct)).Select(r => r.SerialHex));
        Assert.Equal(["40"], (await Store.FindCounterpartsAsync("41", Ct)).Select(r => r.SerialHex));
        Assert.Empty(await Store.FindCounterpartsAsync("FF", Ct));
    }

    [Fact]
    public async Task FindRenewalChainAsync_FromAnyLink_ReturnsTheWholeChainOldestFirst()
    {
        await Store.AddAsync(TestRecords.Create("50", issuedAt: TestRecords.Issued), Ct);
        await Store.AddAsync(TestRecords.Create("51", issuedAt: TestRecords.Issued.AddYears(5), previous: "50"), Ct);
        await Store.AddAsync(TestRecords.Create("52", issuedAt: TestRecords.Issued.AddYears(10), previous: "51"), Ct);
        await Store.AddAsync(TestRecords.Create("59"), Ct);

        foreach (var start in new[] { "50", "51", "52" })
        {
            Assert.Equal(["50", "51", "52"], (await Store.FindRenewalChainAsync(start, Ct)).Select(r => r.SerialHex));
        }

        Assert.Equal(["59"], (await Store.FindRenewalChainAsync("59", Ct)).Select(r => r.SerialHex));
        Assert.Empty(await Store.FindRenewalChainAsync("5F", Ct));
    }

    [Fact]
    public async Task FindRenewalChainAsync_Cycle_StopsInsteadOfLooping()
    {
        await Store.AddAsync(TestRecords.Create("60", previous: "61"), Ct);
        await Store.AddAsync(TestRecords.Create("61", previous: "60"), Ct);

        var chain = await Store.FindRenewalChainAsync("60", Ct);

        Assert.Equal(["60", "61"], chain.Select(r => r.SerialHex).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindSuccessorsAsync_ReturnsTheRenewals()
    {
        await Store.AddAsync(TestRecords.Create("70"), Ct);
        await Store.AddAsync(TestRecords.Create("71", previous: "70"), Ct);

        Assert.Equal(["71"], (await Store.FindSuccessorsAsync("70", Ct)).Select(r => r.SerialHex));
        Assert.Empty(await Store.FindSuccessorsAsync("71", Ct));
    }
}
