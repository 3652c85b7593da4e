using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Jpki.Card.Applications;
using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Transport;
using Jpki.Card.Transport.Pcsc;
using Jpki.Card.Virtual;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Testing;

namespace Jpki.Benchmarks;

/// <summary>
/// The reader path as people use it: a virtual card inserted with <c>jpki card insert</c> (its own process) into pcscd
/// through vpcd, reached through PC/SC (libpcsclite) from this process — side by side, in the same run, with the same
/// APDUs sent to the card processor in this process and the platform's raw RSA-2048 (OpenSSL). Per-call costs of whole
/// programs: one <c>pkcs11-tool --login --sign</c> (OpenSC) and one <c>jpki card sign --reader</c> process per operation.
/// Starts its own pcscd (CHANNELID 0x8CA2, port 36002) under the machine's pcscd lock; needs pcscd, vsmartcard-vpcd
/// and opensc. Run with <c>bench/scripts/reader-path.sh</c>, which adds <c>openssl speed rsa2048</c> and the load average.
/// </summary>
[MemoryDiagnoser]
public class ReaderPathBenchmarks
{
    private const string AuthPin = "1234";
    private static readonly byte[] ReadApdu = Convert.FromHexString("00B08A0000"); // SFI 0A: EF 000A, 256 bytes
    private readonly List<Process> _processes = [];
    private string _directory = "";
    private PcscdProcess? _pcscd;
    private PcscTransport? _transport;
    private JpkiCardClient? _client;
    private VirtualCard? _inProcessCard;
    private byte[] _signApdu = [];
    private byte[] _hash = [];
    private RSA? _rsa;
    private string _message = "";
    private string _pkcs11 = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("jpki-bench-reader-").FullName;
        _pkcs11 = new[] { "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", "/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("opensc-pkcs11.so is missing: apt-get install opensc.");
        var inserted = CreateCard("reader.jpkicard", "BENCHR1");
        _inProcessCard = VirtualCard.Open(CreateCard("inprocess.jpkicard", "BENCHR2"));

        _pcscd = PcscdProcess.Start(_directory, "JPKI Bench PCD", 0x8CA2, logApdus: false);
        Start(JpkiCommand(["card", "insert", inserted, "--vpcd-port", _pcscd.VpcdPort.ToString(CultureInfo.InvariantCulture)]));
        _pcscd.WaitForCard(_pcscd.Reader, TimeSpan.FromSeconds(60));

        _transport = PcscTransport.Connect(_pcscd.Reader);
        _client = new JpkiCardClient(_transport);
        _hash = SHA256.HashData("benchmark message"u8);
        byte[] digestInfo = [.. Convert.FromHexString("3031300d060960864801650304020105000420"), .. _hash];
        _signApdu = [0x80, 0x2A, 0x00, 0x97, (byte)digestInfo.Length, .. digestInfo, 0x00]; // P2 = 80|SFI 17: the auth key
        foreach (ICardTransport transport in new ICardTransport[] { _transport, new InProcessTransport(_inProcessCard) })
        {
            Check(transport.Transmit(Convert.FromHexString("00A4040C0AD392F000260100000001")), "SELECT AP");
            Check(transport.Transmit(Convert.FromHexString("00A4020C020018")), "SELECT EF 0018");
            Check(transport.Transmit(Convert.FromHexString("002000800431323334")), "VERIFY");
        }

        _rsa = RSA.Create(2048);
        _message = Path.Combine(_directory, "message.txt");
        File.WriteAllText(_message, "benchmark message\n");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _transport?.Dispose();
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        _pcscd?.Dispose();
        _inProcessCard?.Dispose();
        _rsa?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>READ BINARY of 256 bytes through PC/SC → pcscd → vpcd → the <c>jpki card insert</c> process, one session.</summary>
    [Benchmark]
    public byte[] PcscApduReadBinary256() => _transport!.Transmit(ReadApdu);

    /// <summary>The same APDU to the card processor in this process.</summary>
    [Benchmark]
    public byte[] InProcessApduReadBinary256() => _inProcessCard!.Transmit(ReadApdu);

    /// <summary>COMPUTE DIGITAL SIGNATURE after one VERIFY, through the reader path, one session.</summary>
    [Benchmark]
    public byte[] PcscSignInSession() => _transport!.Transmit(_signApdu);

    /// <summary>The same signature APDU to the card processor in this process.</summary>
    [Benchmark]
    public byte[] InProcessSign() => _inProcessCard!.Transmit(_signApdu);

    /// <summary>RSA-2048 SHA-256 PKCS#1 v1.5 signature by the platform (OpenSSL through System.Security.Cryptography).</summary>
    [Benchmark(Baseline = true)]
    public byte[] RawRsa2048Sign() => _rsa!.SignHash(_hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>
    /// What <c>jpki card sign --reader</c> does after connecting: one transaction with SELECT AP, SELECT PIN EF, VERIFY
    /// (PBKDF2, 100,000 iterations on the virtual card), SELECT key EF, SIGN, and the logout (SELECT AP).
    /// </summary>
    [Benchmark]
    public byte[] PcscVerifyAndSignTransaction()
    {
        using var transaction = _client!.BeginTransaction();
        if (!_client.Verify(PinKind.AuthenticationPin, AuthPin).Verified)
        {
            throw new InvalidOperationException("VERIFY failed.");
        }

        var signature = _client.SignSha256Hash(CertificateKind.Authentication, _hash);
        _client.Logout();
        return signature;
    }

    /// <summary>One <c>pkcs11-tool --login --sign</c> process (OpenSC's PKCS#11 module through pcscd): everything per call.</summary>
    [Benchmark]
    public int Pkcs11ToolLoginSignProcess() => Run(new ProcessStartInfo("/usr/bin/pkcs11-tool")
    {
        ArgumentList =
        {
            "--module", _pkcs11, "--token-label", "JPKI (User Authentication PIN)", "--login", "--pin", AuthPin,
            "--sign", "--id", "01", "-m", "SHA256-RSA-PKCS", "-i", _message, "-o", Path.Combine(_directory, "pkcs11.sig"),
        },
    });

    /// <summary>One <c>jpki card sign --reader</c> process (dotnet start-up included).</summary>
    [Benchmark]
    public int JpkiCardSignProcess() => Run(JpkiCommand(
        ["card", "sign", "--reader", _pcscd!.Reader, "--which", "auth", "--in", _message, "--out", Path.Combine(_directory, "jpki.sig"), "--pin-env", "JPKI_BENCH_PIN"]));

    private string CreateCard(string name, string number)
    {
        var path = Path.Combine(_directory, name);
        var master = SHA256.HashData("bench"u8);
        using var key = CardManagementKey.Derive(master, number);
        // Default PIN hashing, as `jpki card new` makes it: VERIFY costs what it costs users.
        using var card = VirtualCard.Create(path, new VirtualCardSpec(number, "bench", CardKind.MyNumberCard, new DateOnly(2035, 1, 1)), key, new CardOptions());
        using (var transport = new InProcessTransport(card))
        {
            DevelopmentIssuance.Issue(new CardIssuerClient(new JpkiCardClient(transport), key, number), TimeProvider.System, AuthPin, "ABC123", "5678");
        }

        return path;
    }

    private ProcessStartInfo JpkiCommand(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(JpkiDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["JPKI_BENCH_PIN"] = AuthPin;
        return start;
    }

    private void Start(ProcessStartInfo start)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        _processes.Add(process);
    }

    private static int Run(ProcessStartInfo start)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(start.FileName)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return process.ExitCode;
    }

    private static void Check(byte[] response, string what)
    {
        if (response.Length < 2 || response[^2] != 0x90 || response[^1] != 0x00)
        {
            throw new InvalidOperationException($"{what}: SW {Convert.ToHexString(response.AsSpan(Math.Max(0, response.Length - 2)))}");
        }
    }

    private static string JpkiDll()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Jpki.Cli", "bin", "Release", "net10.0", "jpki.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/Jpki.Cli/bin/Release/net10.0/jpki.dll is missing: dotnet build src/Jpki.Cli -c Release.");
    }
}
