using System.Formats.Asn1;

namespace Jpki.Verification.Cades;

/// <summary>
/// A CMS SignedData (RFC 5652 §5) read into its fields as they are encoded — byte for byte, BER or DER — which is
/// what the CAdES archive-time-stamp-v3 imprint is computed over and what augmenting a signature must keep untouched.
/// </summary>
internal sealed class SignedDataView
{
    public const string SignedDataOid = "1.2.840.113549.1.7.2";

    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Context1 = new(TagClass.ContextSpecific, 1, isConstructed: true);

    private SignedDataView()
    {
    }

    /// <summary>True when the whole structure was DER (rewrites then stay DER).</summary>
    public bool IsDer { get; private init; }

    public required ReadOnlyMemory<byte> Version { get; init; }

    public required ReadOnlyMemory<byte> DigestAlgorithms { get; init; }

    /// <summary>The whole encapContentInfo.</summary>
    public required ReadOnlyMemory<byte> EncapContentInfo { get; init; }

    /// <summary>The eContentType OBJECT IDENTIFIER, tag and length included.</summary>
    public required ReadOnlyMemory<byte> EContentTypeEncoded { get; init; }

    /// <summary>The eContentType.</summary>
    public required string EContentType { get; init; }

    /// <summary>The eContent value octets of an enveloping signature; null for a detached one.</summary>
    public required byte[]? Content { get; init; }

    /// <summary>Each CertificateChoices of SignedData.certificates.</summary>
    public required IReadOnlyList<ReadOnlyMemory<byte>> Certificates { get; init; }

    /// <summary>Each RevocationInfoChoice of SignedData.crls (a CertificateList, or <c>[1]</c> OtherRevocationInfoFormat).</summary>
    public required IReadOnlyList<ReadOnlyMemory<byte>> Crls { get; init; }

    public required IReadOnlyList<SignerInfoView> SignerInfos { get; init; }

    /// <summary>Reads a DER or BER ContentInfo holding SignedData.</summary>
    /// <exception cref="AsnContentException">Not a SignedData ContentInfo, or trailing bytes.</exception>
    public static SignedDataView Read(ReadOnlyMemory<byte> encoded)
    {
        var isDer = IsDerEncoded(encoded);
        var rules = isDer ? AsnEncodingRules.DER : AsnEncodingRules.BER;
        var outer = new AsnReader(encoded, rules);
        var contentInfo = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        if (contentInfo.ReadObjectIdentifier() != SignedDataOid)
        {
            throw new AsnContentException("The ContentInfo does not hold SignedData.");
        }

        var explicitContent = contentInfo.ReadSequence(Context0);
        contentInfo.ThrowIfNotEmpty();
        var signedData = explicitContent.ReadSequence();
        explicitContent.ThrowIfNotEmpty();

        var version = signedData.ReadEncodedValue();
        var digestAlgorithms = signedData.ReadEncodedValue();
        var encap = signedData.ReadEncodedValue();
        var encapReader = new AsnReader(encap, rules).ReadSequence();
        var contentTypeEncoded = encapReader.PeekEncodedValue();
        var contentType = encapReader.ReadObjectIdentifier();
        byte[]? content = null;
        if (encapReader.HasData)
        {
            var octets = encapReader.ReadSequence(Context0);
            content = octets.ReadOctetString();
            octets.ThrowIfNotEmpty();
        }

        encapReader.ThrowIfNotEmpty();
        var certificates = new List<ReadOnlyMemory<byte>>();
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Context0))
        {
            var set = signedData.ReadSetOf(skipSortOrderValidation: true, Context0);
            while (set.HasData)
            {
                certificates.Add(set.ReadEncodedValue());
            }
        }

        var crls = new List<ReadOnlyMemory<byte>>();
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Context1))
        {
            var set = signedData.ReadSetOf(skipSortOrderValidation: true, Context1);
            while (set.HasData)
            {
                crls.Add(set.ReadEncodedValue());
            }
        }

        var signerInfos = new List<SignerInfoView>();
        var infos = signedData.ReadSetOf(skipSortOrderValidation: true);
        signedData.ThrowIfNotEmpty();
        while (infos.HasData)
        {
            signerInfos.Add(SignerInfoView.Read(infos.ReadEncodedValue(), rules));
        }

        return new SignedDataView
        {
            IsDer = isDer,
            Version = version,
            DigestAlgorithms = digestAlgorithms,
            EncapContentInfo = encap,
            EContentTypeEncoded = contentTypeEncoded,
            EContentType = contentType,
            Content = content,
            Certificates = certificates,
            Crls = crls,
            SignerInfos = signerInfos,
        };
    }

    /// <summary>
    /// Encodes the ContentInfo again with <paramref name="certificates"/>, <paramref name="crls"/> and, for the signer
    /// at <paramref name="signerIndex"/>, <paramref name="unsignedAttributes"/> (each a whole Attribute encoding);
    /// every other field is copied byte for byte, so the signature stays valid.
    /// </summary>
    public byte[] Rewrite(IEnumerable<ReadOnlyMemory<byte>> certificates, IEnumerable<ReadOnlyMemory<byte>> crls, int signerIndex, IEnumerable<ReadOnlyMemory<byte>> unsignedAttributes)
    {
        var writer = new AsnWriter(IsDer ? AsnEncodingRules.DER : AsnEncodingRules.BER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(SignedDataOid);
            using (writer.PushSequence(Context0))
            using (writer.PushSequence())
            {
                writer.WriteEncodedValue(Version.Span);
                writer.WriteEncodedValue(DigestAlgorithms.Span);
                writer.WriteEncodedValue(EncapContentInfo.Span);
                WriteSet(writer, certificates, Context0);
                WriteSet(writer, crls, Context1);
                using (writer.PushSetOf())
                {
                    for (var i = 0; i < SignerInfos.Count; i++)
                    {
                        if (i == signerIndex)
                        {
                            SignerInfos[i].WriteWithUnsignedAttributes(writer, unsignedAttributes);
                        }
                        else
                        {
                            writer.WriteEncodedValue(SignerInfos[i].Encoded.Span);
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }

    private static void WriteSet(AsnWriter writer, IEnumerable<ReadOnlyMemory<byte>> items, Asn1Tag tag)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return;
        }

        using (writer.PushSetOf(tag))
        {
            foreach (var item in list)
            {
                writer.WriteEncodedValue(item.Span);
            }
        }
    }

    private static bool IsDerEncoded(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            // DER is a subset of BER: decoding under DER succeeds only for DER (definite lengths, minimal encodings).
            var reader = new AsnReader(encoded, AsnEncodingRules.DER);
            _ = reader.ReadEncodedValue();
            return !reader.HasData && DeepDer(encoded);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>ReadEncodedValue checks only the outer length; walk the structure to be sure nested values are DER too.</summary>
    private static bool DeepDer(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            Walk(new AsnReader(encoded, AsnEncodingRules.DER));
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }

        static void Walk(AsnReader reader)
        {
            while (reader.HasData)
            {
                var tag = reader.PeekTag();
                if (tag.TagClass == TagClass.Universal && tag.IsConstructed)
                {
                    // DER allows only SEQUENCE and SET to be constructed among universal types (no constructed strings).
                    Walk(tag.TagValue switch
                    {
                        (int)UniversalTagNumber.Sequence => reader.ReadSequence(),
                        (int)UniversalTagNumber.Set => reader.ReadSetOf(skipSortOrderValidation: true),
                        _ => throw new AsnContentException("A constructed universal type other than SEQUENCE or SET is not DER."),
                    });
                }
                else if (tag.IsConstructed)
                {
                    Walk(reader.ReadSequence(tag));
                }
                else
                {
                    _ = reader.ReadEncodedValue();
                }
            }
        }
    }
}
