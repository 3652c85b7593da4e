using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;

namespace Jpki.Verification.Revocation;

/// <summary>
/// A decoded X.509 v2 CRL (RFC 5280 §5) held as its DER bytes plus an index from serial number to entry, so a lookup
/// is one hash probe whatever the size (a national CRL may hold millions of entries). Strict DER; unknown critical
/// extensions are refused. Understood: cRLNumber (RFC 5280 §5.2.3, which orders the CRLs of one scope),
/// issuingDistributionPoint (§5.2.5, a partitioned CRL: <see cref="Scope"/>), deltaCRLIndicator (§5.2.4, a delta CRL:
/// <see cref="DeltaBase"/>) and freshestCRL (§5.2.6, where the delta CRLs are: <see cref="FreshestCrl"/>).
/// </summary>
public sealed class CertificateRevocationList
{
    private readonly Dictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> _entries;
    private readonly Dictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly SignedDer _signed;

    private CertificateRevocationList(SignedDer signed, X500DistinguishedName issuer, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, Dictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> entries, Extensions extensions)
    {
        _signed = signed;
        IssuerName = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _entries = entries;
        _lookup = entries.GetAlternateLookup<ReadOnlySpan<byte>>();
        Number = extensions.Number;
        DeltaBase = extensions.DeltaBase;
        Scope = extensions.Scope;
        FreshestCrl = extensions.Freshest;
    }

    /// <summary>The CRL issuer.</summary>
    public X500DistinguishedName IssuerName { get; }

    /// <summary>thisUpdate.</summary>
    public DateTimeOffset ThisUpdate { get; }

    /// <summary>nextUpdate (absent is allowed by X.509 but such a CRL is never fresh for this verifier).</summary>
    public DateTimeOffset? NextUpdate { get; }

    /// <summary>The number of revoked certificates listed.</summary>
    public int Count => _entries.Count;

    /// <summary>The cRLNumber, or null when the CRL has none (RFC 5280 requires it; such a CRL ranks below any numbered one).</summary>
    public BigInteger? Number { get; }

    /// <summary>For a delta CRL, the BaseCRLNumber of its deltaCRLIndicator; null for a complete CRL.</summary>
    public BigInteger? DeltaBase { get; }

    /// <summary>True for a delta CRL (RFC 5280 §5.2.4).</summary>
    public bool IsDelta => DeltaBase is not null;

    /// <summary>The issuing distribution point (a partitioned CRL), or null for a CRL covering every certificate of its issuer.</summary>
    public CrlScope? Scope { get; }

    /// <summary>The http(s) URIs of the freshestCRL extension (where the delta CRLs of this CRL's scope are published).</summary>
    public IReadOnlyList<Uri> FreshestCrl { get; }

    /// <summary>
    /// True when this CRL is newer than <paramref name="other"/> of the same issuer and scope: a higher cRLNumber, or
    /// the same number (or none) with a later thisUpdate.
    /// </summary>
    public bool IsNewerThan(CertificateRevocationList other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var mine = Number ?? BigInteger.MinusOne;
        var theirs = other.Number ?? BigInteger.MinusOne;
        return mine != theirs ? mine > theirs : ThisUpdate > other.ThisUpdate;
    }

    /// <summary>True when this CRL and <paramref name="other"/> declare the same scope (same issuingDistributionPoint bytes, or neither has one).</summary>
    public bool HasSameScope(CertificateRevocationList other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Scope is null ? other.Scope is null : other.Scope is not null && Scope.Encoded.Span.SequenceEqual(other.Scope.Encoded.Span);
    }

    /// <summary>Decodes a DER CRL (PEM <c>X509 CRL</c> is accepted too). Copies nothing: the bytes must not change.</summary>
    /// <exception cref="RevocationDataException">Not a DER v2 CRL this verifier can use.</exception>
    public static CertificateRevocationList Decode(ReadOnlyMemory<byte> derOrPem)
    {
        var der = Unpem(derOrPem);
        try
        {
            var signed = SignedDer.Decode(der);
            var tbs = new AsnReader(signed.Tbs, AsnEncodingRules.DER).ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                if (!tbs.TryReadInt32(out var version) || version != 1)
                {
                    throw new RevocationDataException("Only v2 CRLs are supported.");
                }
            }

            var (algorithm, parameters) = SignedDer.ReadAlgorithm(tbs);
            if (algorithm != signed.Algorithm || !parameters.Span.SequenceEqual(signed.Parameters.Span))
            {
                throw new RevocationDataException("The CRL's inner and outer signature algorithms differ.");
            }

            var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
            var thisUpdate = DerTime.Read(tbs);
            DateTimeOffset? nextUpdate = tbs.HasData && DerTime.IsTime(tbs.PeekTag()) ? DerTime.Read(tbs) : null;
            var entries = new Dictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>(SerialComparer.Instance);
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var revoked = tbs.ReadSequence();
                while (revoked.HasData)
                {
                    var encoded = revoked.PeekEncodedValue();
                    var entry = revoked.ReadSequence();
                    var serial = entry.ReadIntegerBytes();
                    _ = DerTime.Read(entry);
                    if (entry.HasData)
                    {
                        _ = entry.ReadSequence();
                    }

                    entry.ThrowIfNotEmpty();
                    entries.TryAdd(serial, encoded);
                }
            }

            var extensions = tbs.HasData ? ReadExtensions(tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true))) : new Extensions(null, null, null, []);
            tbs.ThrowIfNotEmpty();
            return new CertificateRevocationList(signed, issuer, thisUpdate, nextUpdate, entries, extensions);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            throw new RevocationDataException("The CRL is not valid DER.", e);
        }
    }

    /// <summary>True when <paramref name="issuer"/> has the CRL's issuer name and its key verifies the CRL signature.</summary>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(IssuerName.RawData))
        {
            return false;
        }

        if (issuer.Extensions[JpkiOids.KeyUsage] is X509KeyUsageExtension usage && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign))
        {
            return false;
        }

        return PublicKeys.Of(issuer) is { } key && _signed.VerifyWith(key);
    }

    /// <summary>Looks up a serial number given as DER INTEGER content bytes (<c>X509Certificate2.SerialNumberBytes</c>).</summary>
    /// <exception cref="RevocationDataException">The entry of that serial has malformed extensions (entries are decoded on look-up).</exception>
    public bool TryGetEntry(ReadOnlySpan<byte> serialNumber, out RevokedEntry entry)
    {
        if (!_lookup.TryGetValue(serialNumber, out var encoded))
        {
            entry = default;
            return false;
        }

        try
        {
            entry = DecodeEntry(encoded);
        }
        catch (AsnContentException e)
        {
            throw new RevocationDataException("The CRL entry of this serial number is not valid DER.", e);
        }

        return true;
    }

    private static RevokedEntry DecodeEntry(ReadOnlyMemory<byte> encoded)
    {
        var entry = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        _ = entry.ReadIntegerBytes();
        var date = DerTime.Read(entry);
        RevocationReason? reason = null;
        if (entry.HasData)
        {
            var extensions = entry.ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    _ = extension.ReadBoolean();
                }

                var value = extension.ReadOctetString();
                if (oid == JpkiOids.CrlReason)
                {
                    var reader = new AsnReader(value, AsnEncodingRules.DER);
                    reason = reader.ReadEnumeratedValue<RevocationReason>();
                }
            }
        }

        return new RevokedEntry(date, reason);
    }

    private static Extensions ReadExtensions(AsnReader wrapper)
    {
        var extensions = wrapper.ReadSequence();
        wrapper.ThrowIfNotEmpty();
        var result = new Extensions(null, null, null, []);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (extensions.HasData)
        {
            var extension = extensions.ReadSequence();
            var oid = extension.ReadObjectIdentifier();
            var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
            var value = extension.ReadOctetString();
            extension.ThrowIfNotEmpty();
            if (!seen.Add(oid))
            {
                throw new RevocationDataException($"The CRL has the extension {oid} twice (RFC 5280 §4.2).");
            }

            switch (oid)
            {
                case JpkiOids.CrlNumber:
                    result = result with { Number = ReadNumber(value, "cRLNumber") };
                    break;
                case JpkiOids.DeltaCrlIndicator:
                    result = result with { DeltaBase = ReadNumber(value, "BaseCRLNumber") };
                    break;
                case JpkiOids.IssuingDistributionPoint:
                    result = result with { Scope = CrlScope.Decode(value) };
                    break;
                case JpkiOids.FreshestCrl:
                    result = result with { Freshest = DistributionPointReader.HttpUris(DistributionPointReader.FullNames(value)) };
                    break;
                case JpkiOids.AuthorityKeyIdentifier or JpkiOids.IssuerAltName:
                    break;
                default:
                    if (critical)
                    {
                        throw new RevocationDataException($"The CRL has the unknown critical extension {oid}.");
                    }

                    break;
            }
        }

        return result;
    }

    private static BigInteger ReadNumber(byte[] value, string name)
    {
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        var number = reader.ReadInteger();
        reader.ThrowIfNotEmpty();

        // RFC 5280 §5.2.3: a non-negative integer of at most 20 octets.
        if (number.Sign < 0 || number.GetByteCount() > 20)
        {
            throw new RevocationDataException($"The CRL's {name} is negative or longer than 20 octets.");
        }

        return number;
    }

    private static ReadOnlyMemory<byte> Unpem(ReadOnlyMemory<byte> data)
    {
        if (data.Length > 0 && data.Span[0] == 0x30)
        {
            return data;
        }

        var text = System.Text.Encoding.ASCII.GetString(data.Span);
        if (PemEncoding.TryFind(text, out var fields) && text[fields.Label] == "X509 CRL")
        {
            return Convert.FromBase64String(text[fields.Base64Data]);
        }

        throw new RevocationDataException("Not a CRL in DER or PEM (X509 CRL).");
    }

    private readonly record struct Extensions(BigInteger? Number, BigInteger? DeltaBase, CrlScope? Scope, IReadOnlyList<Uri> Freshest);
}
