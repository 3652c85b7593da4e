using System.Formats.Asn1;

namespace Jpki.Verification.Paths;

/// <summary>Reads the policy OIDs of certificatePolicies (RFC 5280 §4.2.1.4), strict DER; null when malformed.</summary>
internal static class PolicyReader
{
    public static HashSet<string>? Read(byte[] der)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var policies = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var result = new HashSet<string>(StringComparer.Ordinal);
            while (policies.HasData)
            {
                var info = policies.ReadSequence();
                result.Add(info.ReadObjectIdentifier());
                if (info.HasData)
                {
                    _ = info.ReadSequence();
                }

                info.ThrowIfNotEmpty();
            }

            return result;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
