using System.Security.Cryptography;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Card.Tests;

/// <summary>A dev-issued virtual card in a temp directory, with cheap PIN hashing for speed.</summary>
public sealed class TestCard : IDisposable
{
    public const string AuthPin = "1234";
    public const string SignPassword = "ABC123";
    public const string CardPin = "5678";
    public const string MyNumber = "123456789018";
    public const string CardNumber = "TEST0001";
    public const string SecurityCode = "2285";
    public static readonly DateOnly Expiry = new(2035, 3, 31);

    public static readonly byte[] MasterKey = SHA256.HashData("OpenJpki test master key"u8);
    public static readonly BasicFourInfo Holder = new("番号　花子", "東京都千代田区霞が関２－１－１", new DateOnly(1990, 2, 28), Sex.Female);
    public static readonly CardOptions Options = new() { PinIterations = 1000 };

    private TestCard(string directory, string path, VirtualCard card, DevelopmentCertificates? certificates)
    {
        Directory = directory;
        Path = path;
        Card = card;
        Certificates = certificates;
    }

    public string Directory { get; }

    public string Path { get; }

    public VirtualCard Card { get; private set; }

    public DevelopmentCertificates? Certificates { get; }

    private static readonly Lazy<(string Path, DevelopmentCertificates Certificates)> IssuedTemplate = new(() => IssueTemplate(CardProfile.MyNumberCard));
    private static readonly Lazy<(string Path, DevelopmentCertificates Certificates)> NextGenerationTemplate = new(() => IssueTemplate(CardProfile.NextGeneration));

    /// <summary>The profiles whose card suites run over both key algorithms: today's RSA card and the next-generation card.</summary>
    public static TheoryData<string> BothProfiles => new() { CardProfile.MyNumberCard.Id, CardProfile.NextGeneration.Id };
    /// <summary>GNU Unifont from the Debian package <c>unifont</c> (test.sh installs it): the card face's printed items.</summary>
    public static readonly Lazy<Jpki.Card.Issuer.Surface.BitmapFont> Font = new(() => Jpki.Card.Issuer.Surface.BitmapFont.LoadSystem()
        ?? throw new InvalidOperationException($"Install the Debian package unifont: the visual AP's printed items need {Jpki.Card.Issuer.Surface.BitmapFont.SystemFontHint}."));

    private static readonly Lazy<string> BlankTemplate = new(() => NewCard(issue: false, CardProfile.MyNumberCard).Path);

    /// <summary>A fresh copy of a template card (issuing once per test run: it generates four RSA keys).</summary>
    public static TestCard Create(bool issue = true, CardOptions? options = null) => Create(CardProfile.MyNumberCard.Id, issue, options);

    /// <summary>A fresh copy of an issued (or blank, for <c>mynumber</c>) card of profile <paramref name="profileId"/> (mynumber or nextgen).</summary>
    public static TestCard Create(string profileId, bool issue = true, CardOptions? options = null)
    {
        var nextGeneration = profileId == CardProfile.NextGeneration.Id;
        var issued = nextGeneration ? NextGenerationTemplate : IssuedTemplate;
        var template = issue ? issued.Value.Path : nextGeneration ? NewCard(issue: false, CardProfile.NextGeneration).Path : BlankTemplate.Value;
        var directory = NewDirectory();
        var path = System.IO.Path.Combine(directory, "test.jpkicard");
        File.Copy(template, path);
        var card = VirtualCard.Open(path, options ?? Options);
        return new TestCard(directory, path, card, issue ? issued.Value.Certificates : null);
    }

    private static (string Path, DevelopmentCertificates Certificates) IssueTemplate(CardProfile profile)
    {
        var (path, card) = NewCard(issue: true, profile);
        using (card)
        {
            using var key = CardManagementKey.Derive(MasterKey, CardNumber);
            using var transport = new InProcessTransport(card);
            var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, CardNumber);
            var certificates = DevelopmentIssuance.Issue(
                issuer, new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)),
                AuthPin, SignPassword, CardPin, (MyNumber, Holder), new DevelopmentSurface(Expiry, SecurityCode, Font.Value));
            return (path, certificates);
        }
    }

    private static (string Path, VirtualCard Card) NewCard(bool issue, CardProfile profile)
    {
        var path = System.IO.Path.Combine(NewDirectory(), issue ? "issued.jpkicard" : "blank.jpkicard");
        using var key = CardManagementKey.Derive(MasterKey, CardNumber);
        var card = VirtualCard.Create(
            path, new VirtualCardSpec(CardNumber, "holder-1", CardKind.MyNumberCard, Expiry) { MunicipalityCode = "13221", Profile = profile }, key, Options);
        if (!issue)
        {
            card.Dispose();
        }

        return (path, card);
    }

    private static string NewDirectory()
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "jpki-card-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    static TestCard()
    {
        // The two template cards live for the whole test run; remove them when it ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var template in new[]
            {
                IssuedTemplate.IsValueCreated ? IssuedTemplate.Value.Path : null,
                NextGenerationTemplate.IsValueCreated ? NextGenerationTemplate.Value.Path : null,
                BlankTemplate.IsValueCreated ? BlankTemplate.Value : null,
            })
            {
                if (template is not null)
                {
                    try
                    {
                        System.IO.Directory.Delete(System.IO.Path.GetDirectoryName(template)!, recursive: true);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        };
    }

    public static CardManagementKey ManagementKey() => CardManagementKey.Derive(MasterKey, CardNumber);

    /// <summary>Sends hex, returns the response's SW and data.</summary>
    public (ushort Sw, byte[] Data) Send(string hex) => Send(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));

    public (ushort Sw, byte[] Data) Send(byte[] apdu)
    {
        var response = Card.Transmit(apdu);
        return ((ushort)((response[^2] << 8) | response[^1]), response[..^2]);
    }

    public ushort Sw(string hex) => Send(hex).Sw;

    /// <summary>Closes the card file (releases its lock) so another process can open it; <see cref="Reopen"/> opens it again.</summary>
    public void Eject() => Card.Dispose();

    /// <summary>Closes and reopens the card file (a power cycle with the file re-read).</summary>
    public void Reopen(CardOptions? options = null)
    {
        Card.Dispose();
        Card = VirtualCard.Open(Path, options ?? Options);
    }

    public void Dispose()
    {
        Card.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
