using System.Globalization;
using System.Xml;
using Jpki.Verification.Xades;

namespace Jpki.Signing.Xades;

/// <summary>Builds XAdES elements with the usual prefixes (<c>ds</c>, <c>xades</c>, <c>xades141</c>) and writes documents back.</summary>
internal static class XadesXml
{
    public static XmlElement Ds(XmlDocument document, string name) => document.CreateElement("ds", name, XmlDsigNames.Ds);

    public static XmlElement Xades(XmlDocument document, string name) => document.CreateElement("xades", name, XmlDsigNames.Xades);

    public static XmlElement Xades141(XmlDocument document, string name) => document.CreateElement("xades141", name, XmlDsigNames.Xades141);

    public static XmlElement Text(XmlElement element, string text)
    {
        element.AppendChild(element.OwnerDocument.CreateTextNode(text));
        return element;
    }

    public static XmlElement Child(XmlElement parent, XmlElement child)
    {
        parent.AppendChild(child);
        return child;
    }

    public static string DateTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time-stamp property: its canonicalisation method and the token (EN 319 132-1 §5.3, §5.5.2).</summary>
    public static XmlElement Timestamp(XmlElement element, string id, string canonicalization, byte[] token)
    {
        var document = element.OwnerDocument;
        element.SetAttribute("Id", id);
        Child(element, Ds(document, "CanonicalizationMethod")).SetAttribute("Algorithm", canonicalization);
        Text(Child(element, Xades(document, "EncapsulatedTimeStamp")), Convert.ToBase64String(token));
        return element;
    }

    /// <summary>The document as UTF-8 bytes, every node as it is (no indentation added; the declaration, if any, says UTF-8).</summary>
    public static byte[] Save(XmlDocument document)
    {
        if (document.FirstChild is XmlDeclaration declaration)
        {
            declaration.Encoding = "UTF-8";
        }

        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = false, NewLineHandling = NewLineHandling.None, OmitXmlDeclaration = document.FirstChild is not XmlDeclaration }))
        {
            document.Save(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>A document in its canonical reading: saved and parsed again (so what is hashed next is what a verifier parses).</summary>
    public static XmlDocument Reload(XmlDocument document) => SecureXml.Load(Save(document));
}
