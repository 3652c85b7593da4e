using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Storage;

namespace Jpki.Server.Counter;

/// <summary>
/// The counter's services as the web interface uses them (built from the counter runtime; tests build it over fakes).
/// The host does not own them: whoever built the bundle disposes the store. <see cref="AlwaysOpen"/>: the sandbox switch
/// is on (every staff page says so). <see cref="DevelopmentCardKey"/>: sandbox mode, the public development
/// card-management key (every staff page says so).
/// </summary>
internal sealed record CounterWeb(
    ICounterStore Store,
    CounterService Counter,
    ProxyService Proxy,
    ResidentRegistry Registry,
    RegistryChangeService Changes,
    ICertificateIssuer Issuer,
    ITerminalCards Cards,
    Func<InquiryLetter, byte[]>? LetterPdf = null,
    bool AlwaysOpen = false,
    bool DevelopmentCardKey = false)
{
    public DailyReportBuilder Reports { get; } = new(Store);
}
