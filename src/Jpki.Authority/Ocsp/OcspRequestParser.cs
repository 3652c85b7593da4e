using System.Formats.Asn1;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;

namespace Jpki.Authority.Ocsp;

/// <summary>
/// Parses an OCSPRequest (RFC 6960 §4.1.1) under DER. Anything else — BER, trailing bytes, no request, a nonce outside
/// RFC 8954's 1–32 octets — is malformed. Request signatures are ignored (the responder does not require them).
/// </summary>
internal static class OcspRequestParser
{
    public const int MaxRequests = 16;

    public static bool TryParse(ReadOnlySpan<byte> der, out OcspRequestData? request)
    {
        request = null;
        try
        {
            request = Parse(der.ToArray());
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static OcspRequestData Parse(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var ocspRequest = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var tbs = ocspRequest.ReadSequence();
        if (ocspRequest.HasData)
        {
            ocspRequest.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
        }

        ocspRequest.ThrowIfNotEmpty();

        var versionTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(versionTag))
        {
            var version = tbs.ReadSequence(versionTag);
            if (!version.TryReadInt32(out var v) || v != 0)
            {
                throw new FormatException("Unsupported OCSP request version.");
            }

            version.ThrowIfNotEmpty();
        }

        var requestorTag = new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(requestorTag))
        {
            tbs.ReadEncodedValue();
        }

        var list = tbs.ReadSequence();
        var certIds = new List<OcspCertId>();
        while (list.HasData)
        {
            if (certIds.Count == MaxRequests)
            {
                throw new FormatException("Too many requests in one OCSP request.");
            }

            var single = list.ReadSequence();
            var encoded = single.PeekEncodedValue().ToArray();
            var certId = single.ReadSequence();
            var algorithm = certId.ReadSequence();
            var hashOid = algorithm.ReadObjectIdentifier();
            if (algorithm.HasData)
            {
                algorithm.ReadNull();
            }

            algorithm.ThrowIfNotEmpty();
            var nameHash = certId.ReadOctetString();
            var keyHash = certId.ReadOctetString();
            var serial = certId.ReadIntegerBytes();
            certId.ThrowIfNotEmpty();
            if (single.HasData)
            {
                single.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
            }

            single.ThrowIfNotEmpty();
            if (serial.Span[0] >= 0x80)
            {
                throw new FormatException("Negative serial.");
            }

            certIds.Add(new OcspCertId(hashOid, nameHash, keyHash, SerialNumbers.ToHex(serial.Span), encoded));
        }

        if (certIds.Count == 0)
        {
            throw new FormatException("No request.");
        }

        byte[]? nonce = null;
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(extensionsTag))
        {
            var extensions = tbs.ReadSequence(extensionsTag).ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    extension.ReadBoolean();
                }

                var value = extension.ReadOctetString();
                extension.ThrowIfNotEmpty();
                if (oid == Oids.OcspNonce)
                {
                    nonce = value;
                    var inner = new AsnReader(value, AsnEncodingRules.DER);
                    var octets = inner.ReadOctetString();
                    inner.ThrowIfNotEmpty();
                    if (octets.Length is < 1 or > 32)
                    {
                        throw new FormatException("RFC 8954: a nonce has 1 to 32 octets.");
                    }
                }
            }
        }

        tbs.ThrowIfNotEmpty();
        return new OcspRequestData(certIds, nonce);
    }
}
