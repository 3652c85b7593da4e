using System.Formats.Asn1;
using System.Security.Cryptography;
using Jpki.Verification.Cms;

namespace Jpki.Verification.Cades;

/// <summary>
/// The CAdES archive-time-stamp-v3 (ETSI EN 319 122-1 §5.5.2–5.5.3): the ats-hash-index-v3 that lists a hash of
/// every certificate, every revocation value and every unsigned attribute value present when the archive time-stamp
/// is requested, and the message imprint over the signed data hash, the signer's signed fields and that index.
/// Building the imprint (augmenting to B-LTA) and checking it (validation) share this code.
/// </summary>
internal static class ArchiveTimestampV3
{
    /// <summary>The DER ATSHashIndexV3 of the current state of signer <paramref name="signerIndex"/> (hashIndAlgorithm written out, as EU DSS does).</summary>
    public static byte[] BuildHashIndex(SignedDataView view, int signerIndex, HashAlgorithmName algorithm)
    {
        var signer = view.SignerInfos[signerIndex];
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(OidOf(algorithm));
            }

            WriteHashes(writer, view.Certificates.Select(c => Hash(algorithm, c.Span)));
            WriteHashes(writer, view.Crls.Select(c => Hash(algorithm, c.Span)));
            WriteHashes(writer, AttributeValueHashes(signer, algorithm));
        }

        return writer.Encode();
    }

    /// <summary>
    /// The expected message imprint of an archive-time-stamp-v3 whose token carries <paramref name="hashIndex"/>, or
    /// null when the index is unreadable, uses another algorithm than <paramref name="algorithm"/>, or names data that
    /// is not in the signature any more (EN 319 122-1 §5.5.2: such an index is invalid).
    /// </summary>
    /// <param name="view">The signature.</param>
    /// <param name="signerIndex">The signer the archive time-stamp is on.</param>
    /// <param name="content">The signed content (eContent, or the detached file).</param>
    /// <param name="hasContent">False when the signed content is not available (the imprint cannot be computed).</param>
    /// <param name="hashIndex">The DER ATSHashIndexV3 from the token's unsigned attributes.</param>
    /// <param name="algorithm">The token's imprint hash algorithm.</param>
    public static byte[]? ExpectedImprint(SignedDataView view, int signerIndex, ReadOnlySpan<byte> content, bool hasContent, ReadOnlyMemory<byte> hashIndex, HashAlgorithmName algorithm)
    {
        if (!hasContent || !IndexMatches(view, signerIndex, hashIndex, algorithm))
        {
            return null;
        }

        return Imprint(view, signerIndex, content, hashIndex.Span, algorithm);
    }

    /// <summary>The message imprint (EN 319 122-1 §5.5.3) for <paramref name="hashIndex"/>.</summary>
    public static byte[] Imprint(SignedDataView view, int signerIndex, ReadOnlySpan<byte> content, ReadOnlySpan<byte> hashIndex, HashAlgorithmName algorithm)
    {
        var signer = view.SignerInfos[signerIndex];
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(view.EContentTypeEncoded.Span);
        hash.AppendData(Hash(algorithm, content));
        hash.AppendData(signer.Version.Span);
        hash.AppendData(signer.Sid.Span);
        hash.AppendData(signer.DigestAlgorithm.Span);
        hash.AppendData(signer.SignedAttributes.Span);
        hash.AppendData(signer.SignatureAlgorithm.Span);
        hash.AppendData(signer.SignatureEncoded.Span);
        hash.AppendData(hashIndex);
        return hash.GetHashAndReset();
    }

    /// <summary>The ats-hash-index-v3 value of an archive time-stamp token (its SignerInfo's unsigned attribute), or null.</summary>
    public static ReadOnlyMemory<byte>? HashIndexOf(ReadOnlyMemory<byte> token)
    {
        try
        {
            var view = SignedDataView.Read(token);
            if (view.SignerInfos.Count != 1)
            {
                return null;
            }

            var attribute = view.SignerInfos[0].UnsignedAttributes.FirstOrDefault(a => a.Type == CadesOids.AtsHashIndexV3);
            return attribute is { Values.Count: 1 } ? attribute.Values[0] : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static bool IndexMatches(SignedDataView view, int signerIndex, ReadOnlyMemory<byte> hashIndex, HashAlgorithmName algorithm)
    {
        try
        {
            var reader = new AsnReader(hashIndex, AsnEncodingRules.DER);
            var index = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var indexAlgorithm = HashAlgorithmName.SHA256;
            if (index.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var copy = index.Clone();
                var first = copy.ReadSequence();
                if (first.HasData && first.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
                {
                    _ = index.ReadSequence();
                    if (!DigestAlgorithms.TryGet(first.ReadObjectIdentifier(), out indexAlgorithm))
                    {
                        return false;
                    }
                }
            }

            if (indexAlgorithm != algorithm)
            {
                return false;
            }

            var certificates = ReadHashes(index.ReadSequence());
            var crls = ReadHashes(index.ReadSequence());
            var attributes = ReadHashes(index.ReadSequence());
            index.ThrowIfNotEmpty();
            return AllPresent(certificates, view.Certificates.Select(c => Hash(algorithm, c.Span)))
                && AllPresent(crls, view.Crls.Select(c => Hash(algorithm, c.Span)))
                && AllPresent(attributes, AttributeValueHashes(view.SignerInfos[signerIndex], algorithm));
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>Every hash of <paramref name="listed"/> names one present item (each item consumed once).</summary>
    private static bool AllPresent(List<byte[]> listed, IEnumerable<byte[]> present)
    {
        var pool = present.Select(Convert.ToHexString).ToList();
        foreach (var hash in listed)
        {
            if (!pool.Remove(Convert.ToHexString(hash)))
            {
                return false;
            }
        }

        return true;
    }

    private static List<byte[]> ReadHashes(AsnReader sequence)
    {
        var result = new List<byte[]>();
        while (sequence.HasData)
        {
            result.Add(sequence.ReadOctetString());
        }

        return result;
    }

    /// <summary>Hash of attrType ‖ attrValue for each value of each unsigned attribute (EN 319 122-1 §5.5.2, unsignedAttrValuesHashIndex).</summary>
    private static IEnumerable<byte[]> AttributeValueHashes(SignerInfoView signer, HashAlgorithmName algorithm)
    {
        foreach (var attribute in signer.UnsignedAttributes)
        {
            foreach (var value in attribute.Values)
            {
                using var hash = IncrementalHash.CreateHash(algorithm);
                hash.AppendData(attribute.TypeEncoded.Span);
                hash.AppendData(value.Span);
                yield return hash.GetHashAndReset();
            }
        }
    }

    private static void WriteHashes(AsnWriter writer, IEnumerable<byte[]> hashes)
    {
        using (writer.PushSequence())
        {
            foreach (var hash in hashes)
            {
                writer.WriteOctetString(hash);
            }
        }
    }

    private static byte[] Hash(HashAlgorithmName algorithm, ReadOnlySpan<byte> data) => DigestAlgorithms.Hash(algorithm, data);

    private static string OidOf(HashAlgorithmName algorithm)
    {
        if (algorithm == HashAlgorithmName.SHA384)
        {
            return DigestAlgorithms.Sha384;
        }

        return algorithm == HashAlgorithmName.SHA512 ? DigestAlgorithms.Sha512 : DigestAlgorithms.Sha256;
    }
}
