using Jpki.Verification.Signatures;
using Jpki.Verification.Xades;

namespace Jpki.Signing.Xades;

/// <summary>
/// Refuses to write a document in which adding or augmenting one signature broke another: a second enveloped
/// signature over the whole document changes what the first one signed, and augmenting a signature that another
/// signature covers changes the covered data.
/// </summary>
internal static class XadesIntegrity
{
    /// <summary>Throws when a signature of <paramref name="before"/> whose digests held no longer holds in <paramref name="after"/>.</summary>
    /// <param name="before">The document before the change.</param>
    /// <param name="after">The document after it.</param>
    /// <param name="changed">The Id of the signature that was added or augmented (not compared).</param>
    /// <exception cref="ArgumentException">Another signature was broken.</exception>
    public static void EnsureUnbroken(System.Xml.XmlDocument before, byte[] after, string changed)
    {
        var earlier = XadesFormat.Gather(XadesXml.Save(before), null, null, long.MaxValue).Where(e => e.Id != changed && !Broken(e)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        if (earlier.Count == 0)
        {
            return;
        }

        foreach (var evidence in XadesFormat.Gather(after, null, null, long.MaxValue))
        {
            if (earlier.Contains(evidence.Id) && Broken(evidence))
            {
                throw new ArgumentException($"This would break signature '{evidence.Id}', which covers the place the change goes ({evidence.Failure!.Verdict.Message}). Sign one element by its Id (parallel signatures) instead of the whole document.", nameof(after));
            }
        }
    }

    private static bool Broken(SignatureEvidence evidence) => evidence.Failure?.SubIndication is SubIndication.HashFailure or SubIndication.SigCryptoFailure;
}
