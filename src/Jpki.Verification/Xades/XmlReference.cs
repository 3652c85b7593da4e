using System.Xml;

namespace Jpki.Verification.Xades;

/// <summary>
/// A ds:Reference after dereferencing and its transforms: octets (a canonicalised node set, or a detached file), or a
/// node set that was not canonicalised yet (the caller canonicalises it: C14N 1.0 for the digest, the archive
/// time-stamp's method for its imprint).
/// </summary>
/// <param name="Uri">The URI attribute.</param>
/// <param name="Octets">The octet stream, or null for a node set.</param>
/// <param name="NodeSet">The node set (a document of its own), or null for octets.</param>
/// <param name="Target">What was signed, in words for the report: the whole document, an element's path, a file name.</param>
/// <param name="TargetElement">The referenced element of a same-document reference, or null.</param>
internal sealed record XmlReference(string Uri, byte[]? Octets, XmlDocument? NodeSet, string Target, XmlElement? TargetElement)
{
    /// <summary>The octets, canonicalising a node set with <paramref name="algorithm"/>.</summary>
    public byte[] ToOctets(string algorithm) => Octets ?? XmlCanonicalizer.Canonicalize(NodeSet!, algorithm);
}
