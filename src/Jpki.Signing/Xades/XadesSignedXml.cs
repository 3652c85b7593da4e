using System.Security.Cryptography.Xml;
using System.Xml;

namespace Jpki.Signing.Xades;

/// <summary>
/// <see cref="SignedXml"/> that also finds the xades:SignedProperties being signed: SignedXml resolves <c>#id</c> in
/// the document and among the top-level ds:Object elements only, while SignedProperties sits inside
/// QualifyingProperties inside a ds:Object that is not in the document yet when the signature is computed.
/// </summary>
internal sealed class XadesSignedXml(XmlDocument document) : SignedXml(document)
{
    /// <summary>The xades:QualifyingProperties being signed, or null.</summary>
    public XmlElement? Properties { get; set; }

    public override XmlElement? GetIdElement(XmlDocument? document, string idValue)
    {
        if (base.GetIdElement(document, idValue) is { } found)
        {
            return found;
        }

        return Properties?.SelectSingleNode($"descendant-or-self::*[@Id='{idValue.Replace("'", string.Empty, StringComparison.Ordinal)}']") as XmlElement;
    }
}
