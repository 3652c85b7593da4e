using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Jpki.Verification.Certificates;

/// <summary>
/// The common outer shape of certificates and CRLs, <c>SEQUENCE { tbs, signatureAlgorithm, signatureValue BIT STRING }</c>,
/// decoded under strict DER, with the signature verified against an issuer key.
/// </summary>
internal readonly struct SignedDer
{
    private SignedDer(ReadOnlyMemory<byte> tbs, string algorithm, ReadOnlyMemory<byte> parameters, ReadOnlyMemory<byte> signature)
    {
        Tbs = tbs;
        Algorithm = algorithm;
        Parameters = parameters;
        Signature = signature;
    }

    public ReadOnlyMemory<byte> Tbs { get; }

    public string Algorithm { get; }

    public ReadOnlyMemory<byte> Parameters { get; }

    public ReadOnlyMemory<byte> Signature { get; }

    /// <exception cref="CryptographicException">Not a DER-encoded signed structure.</exception>
    public static SignedDer Decode(ReadOnlyMemory<byte> der)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var sequence = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var tbs = sequence.ReadEncodedValue();
            var (oid, parameters) = ReadAlgorithm(sequence);
            var signature = sequence.ReadBitString(out var unused);
            sequence.ThrowIfNotEmpty();
            if (unused != 0)
            {
                throw new CryptographicException("The signature BIT STRING has unused bits.");
            }

            return new SignedDer(tbs, oid, parameters, signature);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("Not a DER-encoded signed structure.", e);
        }
    }

    public static (string Oid, ReadOnlyMemory<byte> Parameters) ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        var parameters = algorithm.HasData ? algorithm.ReadEncodedValue() : ReadOnlyMemory<byte>.Empty;
        algorithm.ThrowIfNotEmpty();
        return (oid, parameters);
    }

    /// <summary>Verifies the signature with <paramref name="issuerKey"/>; false on any mismatch or unsupported algorithm.</summary>
    public bool VerifyWith(AsymmetricAlgorithm issuerKey) => SignatureAlgorithms.Verify(Algorithm, Parameters.Span, Tbs.Span, Signature.Span, issuerKey);
}
