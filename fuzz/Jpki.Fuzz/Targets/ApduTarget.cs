using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;

namespace Jpki.Fuzz;

/// <summary>
/// The card's APDU processor (<c>CardProcessor.Transmit</c>) on a dev-issued card held in memory, fresh for every input.
/// The input is a sequence of APDUs, each preceded by a one-byte length (a length past the end takes what is left; a
/// zero length is a card reset), at most <see cref="MaxApdus"/> per input, so SELECT then VERIFY, READ BINARY, COMPUTE
/// DIGITAL SIGNATURE and the issuer channel are reached in their states. Contract: every APDU is answered with a
/// response ending in a status word 61xx–6Fxx or 9xxx; nothing throws (the processor answers 6700 to malformed bytes).
/// </summary>
public sealed class ApduTarget : IFuzzTarget
{
    /// <summary>The target's name.</summary>
    public const string TargetName = "apdu";

    /// <summary>The most APDUs taken from one input.</summary>
    public const int MaxApdus = 16;

    /// <summary>The authentication PIN of the card (the seeds use it).</summary>
    public const string AuthPin = "1234";

    /// <summary>The signature password of the card.</summary>
    public const string SignPassword = "ABC123";

    /// <summary>The text AP's card PIN.</summary>
    public const string CardPin = "5678";

    private const string CardNumber = "FUZZ0001";

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    // One PBKDF2 iteration: the fuzzer runs VERIFY thousands of times a second; the iteration count is not under test.
    private static readonly CardOptions Options = new() { PinIterations = 1 };

    private readonly byte[] _image;

    /// <summary>Issues the template card (two RSA key pairs, four test certificates, three PINs) and keeps its image.</summary>
    public ApduTarget() => _image = IssueTemplate();

    /// <inheritdoc/>
    public string Name => TargetName;

    /// <inheritdoc/>
    public string Contract => "length-prefixed APDUs to the card processor; every APDU gets a status word, nothing throws";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        var image = JsonSerializer.Deserialize<CardImage>(_image, Json)
            ?? throw new InvalidOperationException("The template card image did not deserialise.");
        using var processor = new CardProcessor(image, NullSink.Instance, Options);
        var rest = input;
        for (var count = 0; rest.Length > 0 && count < MaxApdus; count++)
        {
            var length = Math.Min((int)rest[0], rest.Length - 1);
            rest = rest[1..];
            if (length == 0)
            {
                processor.Reset();
                continue;
            }

            var response = processor.Transmit(rest[..length]);
            rest = rest[length..];
            if (response.Length < 2 || response[^2] is not ((>= 0x61 and <= 0x6F) or (>= 0x90 and <= 0x9F)))
            {
                throw new FuzzFindingException($"APDU {count} was answered without a status word ({response.Length} bytes).");
            }
        }
    }

    private static byte[] IssueTemplate()
    {
        var directory = Path.Combine(Path.GetTempPath(), "jpki-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var path = Path.Combine(directory, "fuzz.jpkicard");
            var masterKey = SHA256.HashData("OpenJpki fuzz master key"u8);
            using var key = CardManagementKey.Derive(masterKey, CardNumber);
            using (var card = VirtualCard.Create(path, new VirtualCardSpec(CardNumber, "fuzz-holder", CardKind.MyNumberCard, new DateOnly(2035, 3, 31)), key, Options))
            {
                using var transport = new InProcessTransport(card);
                var issuer = new CardIssuerClient(new JpkiCardClient(transport), key, CardNumber);
                var holder = new BasicFourInfo("番号　花子", "東京都千代田区霞が関２－１－１", new DateOnly(1990, 2, 28), Sex.Female);
                DevelopmentIssuance.Issue(issuer, new FixedClock(), AuthPin, SignPassword, CardPin, ("123456789018", holder));
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The card image stays in memory: every write "succeeds" at once.</summary>
    private sealed class NullSink : ICardImageSink
    {
        public static readonly NullSink Instance = new();

        public void Persist(CardImage image)
        {
        }
    }

    /// <summary>A fixed issuance time, so the template card's certificates do not depend on when the fuzzer starts.</summary>
    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    }
}
