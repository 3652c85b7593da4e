using System.Security.Cryptography;
using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Tests.Fakes;

/// <summary>An in-memory card: card PIN with a retry counter, key EFs, certificate EFs, PINs.</summary>
public sealed class FakeCard(CardInfo info, string cardPin = "1234") : ICounterCard
{
    private readonly Dictionary<PinKind, string> _pins = new() { [PinKind.CardPin] = cardPin };

    public CardInfo Info { get; set; } = info;

    /// <summary>RSA key size; 1024 keeps the workflow tests quick, the end-to-end test uses 2048 as the CA expects.</summary>
    public int KeyBits { get; set; } = 1024;

    public int CardPinTries { get; set; } = 3;

    public Dictionary<CertificateKind, byte[]> PublicKeys { get; } = [];

    public Dictionary<CertificateKind, byte[]> Certificates { get; } = [];

    public int Writes { get; private set; }

    /// <summary>How many of the next certificate writes fail (as a card pulled out of the reader would).</summary>
    public int FailingWrites { get; set; }

    /// <summary>Runs before each certificate write (tests block it to stop the process between issue and write).</summary>
    public Func<CancellationToken, Task>? BeforeWrite { get; set; }

    public bool HasPin(PinKind kind, string value) => _pins.TryGetValue(kind, out var v) && v == value;

    public Task<CardInfo> ReadInfoAsync(CancellationToken cancellationToken) => Task.FromResult(Info);

    public Task<PinCheck> VerifyCardPinAsync(SecretPin pin, CancellationToken cancellationToken)
    {
        if (CardPinTries == 0)
        {
            return Task.FromResult(PinCheck.Wrong(0));
        }

        if (pin.Reveal().SequenceEqual(_pins[PinKind.CardPin]))
        {
            CardPinTries = 3;
            return Task.FromResult(PinCheck.Ok(3));
        }

        CardPinTries--;
        return Task.FromResult(PinCheck.Wrong(CardPinTries));
    }

    public Task<byte[]> GenerateKeyPairAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create(KeyBits);
        var spki = rsa.ExportSubjectPublicKeyInfo();
        PublicKeys[kind] = spki;
        Writes++;
        return Task.FromResult(spki);
    }

    public async Task WriteCertificateAsync(CertificateKind kind, ReadOnlyMemory<byte> der, CancellationToken cancellationToken)
    {
        if (BeforeWrite is { } before)
        {
            await before(cancellationToken);
        }

        if (FailingWrites > 0)
        {
            FailingWrites--;
            throw new IOException("The card was removed from the reader during the write (test).");
        }

        Certificates[kind] = der.ToArray();
        Writes++;
    }

    /// <summary>Makes the next read-backs fail (a card that cannot be read).</summary>
    public bool Unreadable { get; set; }

    public Task<byte[]?> ReadCertificateAsync(CertificateKind kind, CancellationToken cancellationToken) =>
        Unreadable
            ? throw new IOException("The card does not answer (test).")
            : Task.FromResult(Certificates.TryGetValue(kind, out var der) ? der : null);

    public Task SetPinAsync(PinKind kind, SecretPin pin, CancellationToken cancellationToken)
    {
        _pins[kind] = new string(pin.Reveal());
        if (kind == PinKind.CardPin)
        {
            CardPinTries = 3;
        }

        Writes++;
        return Task.CompletedTask;
    }

    /// <summary>Today's card as the fake stands for it: no PUK (the real card answers 6D00).</summary>
    public Task<PukCheck> UnblockWithPukAsync(PinKind kind, SecretPin puk, SecretPin newPin, CancellationToken cancellationToken) => Task.FromResult(PukCheck.NoPuk);
}
