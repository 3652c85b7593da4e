using Jpki.Core.Identity;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Tests.Applications;

/// <summary>The counter with the real character set (Jpki.Core.Charset) and office calendar (Jpki.Core.Office).</summary>
public sealed class RealAdapterTests : IAsyncLifetime
{
    private readonly CounterHarness _h = new();
    private CounterService _counter = null!;

    public async Task InitializeAsync()
    {
        await _h.InitializeAsync();
        _counter = new CounterService(_h.Store, _h.Issuer, new JpkiCharsetMapper(), new OfficeCalendarHours(), _h.Clock);
    }

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task IssueAsync_RealCharset_SubstitutesAndPassesFlagsToAuthority()
    {
        var card = await _h.AddResidentAsync("R1", name: "髙橋　﨑子");

        var outcome = await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1"), default);

        Assert.True(outcome.IsAllowed, outcome.Message);
        Assert.Equal("高橋　崎子", outcome.Value!.CertificateName);
        Assert.Equal(["髙", "﨑"], outcome.Value.NameSubstitutions.Select(s => s.Original));
        var request = _h.Issuer.Requests.Single(r => r.Kind == CertificateKind.Signature);
        Assert.Equal(("高橋　崎子", "10010"), (request.MappedInfo!.Name, request.NameFlags));
    }

    [Fact]
    public async Task IssueAsync_KyujitaiName_RegistryFormsAndTheirFlags()
    {
        // Issue 12, item 7: 德 became 悳 and 姬 had no substitute; the register's forms are 徳 and 姫.
        var card = await _h.AddResidentAsync("R1", name: "德永　姬子");

        var outcome = await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1"), default);

        Assert.True(outcome.IsAllowed, outcome.Message);
        var request = _h.Issuer.Requests.Single(r => r.Kind == CertificateKind.Signature);
        Assert.Equal(("徳永　姫子", "10010"), (request.MappedInfo!.Name, request.NameFlags));
        Assert.Equal(["德", "姬"], outcome.Value!.NameSubstitutions.Select(s => s.Original));
        Assert.Equal(["徳", "姫"], outcome.Value.NameSubstitutions.Select(s => s.Substitute));
    }

    [Fact]
    public async Task IssueAsync_ChoiceNotACandidate_RefusedWithRealCharset()
    {
        var card = await _h.AddResidentAsync("R1", name: "髙橋　一郎");

        var outcome = await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1", choices: new Dictionary<int, string> { [0x9AD9] = "X" }), default);

        Assert.Equal("charset-bad-choice", outcome.Code);
    }

    [Fact]
    public async Task IssueAsync_Saturday_OfficeClosed()
    {
        var card = await _h.AddResidentAsync("R1");
        _h.Clock.SetUtcNow(JapanTime.At(new DateOnly(2026, 6, 13), new TimeOnly(10, 0)));

        Assert.Equal("office-closed", (await _counter.IssueAsync(_h.Clerk, card, CounterHarness.Request("R1"), default)).Code);
    }
}
