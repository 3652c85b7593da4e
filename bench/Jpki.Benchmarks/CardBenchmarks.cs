using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;

namespace Jpki.Benchmarks;

/// <summary>
/// The in-process virtual card: READ BINARY throughput, and COMPUTE DIGITAL SIGNATURE against the raw RSA-2048
/// private-key rate of the platform (OpenSSL through System.Security.Cryptography) measured in the same run.
/// READ BINARY and SIGN never write the card file, so no disk I/O is measured.
/// </summary>
[MemoryDiagnoser]
public class CardBenchmarks
{
    private static readonly byte[] ReadApdu = Convert.FromHexString("00B08A0000"); // SFI 0A: selects EF 000A and reads 256 bytes
    private string _directory = "";
    private VirtualCard? _card;
    private byte[] _signApdu = [];
    private byte[] _hash = [];
    private byte[] _digestInfo = [];
    private RSA? _rsa;
    private CardRsaKey? _cardKey;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("jpki-bench-card-").FullName;
        var master = SHA256.HashData("bench"u8);
        using var key = CardManagementKey.Derive(master, "BENCH1");
        _card = VirtualCard.Create(
            Path.Combine(_directory, "bench.jpkicard"),
            new VirtualCardSpec("BENCH1", "bench", CardKind.MyNumberCard, new DateOnly(2035, 1, 1)),
            key,
            new CardOptions { PinIterations = 1000 });
        using (var transport = new InProcessTransport(_card))
        {
            DevelopmentIssuance.Issue(new CardIssuerClient(new JpkiCardClient(transport), key, "BENCH1"), TimeProvider.System, "1234", "ABC123", "5678");
        }

        _card.Reset();
        _card.Transmit(Convert.FromHexString("00A4040C0AD392F000260100000001"));
        _card.Transmit(Convert.FromHexString("00A4020C020018"));
        _card.Transmit(Convert.FromHexString("002000800431323334"));
        _hash = SHA256.HashData("benchmark message"u8);
        _digestInfo = [.. Convert.FromHexString("3031300d060960864801650304020105000420"), .. _hash];
        // P2 = 80|SFI 17 names the auth key, so no SELECT is needed.
        _signApdu = [0x80, 0x2A, 0x00, 0x97, (byte)_digestInfo.Length, .. _digestInfo, 0x00];
        _rsa = RSA.Create(2048);
        _cardKey = new CardRsaKey(_rsa.ExportPkcs8PrivateKey());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cardKey?.Dispose();
        _rsa?.Dispose();
        _card?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public byte[] ReadBinary256() => _card!.Transmit(ReadApdu);

    [Benchmark]
    public byte[] CardSignDigestInfo() => _card!.Transmit(_signApdu);

    [Benchmark(Baseline = true)]
    public byte[] RawRsa2048SignHash() => _rsa!.SignHash(_hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark]
    public byte[] CardKeyGeneralPathBigIntegerCrt() => _cardKey!.SignPaddedWithCrt(_digestInfo);
}
