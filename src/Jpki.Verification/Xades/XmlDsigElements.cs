using System.Xml;

namespace Jpki.Verification.Xades;

/// <summary>Element-only navigation (text, comments and whitespace between elements are skipped) with strict counts.</summary>
internal static class XmlDsigElements
{
    /// <summary>The child elements of <paramref name="parent"/> in <paramref name="ns"/> named <paramref name="localName"/> (null: any).</summary>
    public static List<XmlElement> Children(XmlElement parent, string? ns, string? localName)
    {
        var list = new List<XmlElement>();
        for (var node = parent.FirstChild; node is not null; node = node.NextSibling)
        {
            if (node is XmlElement e && (ns is null || e.NamespaceURI == ns) && (localName is null || e.LocalName == localName))
            {
                list.Add(e);
            }
        }

        return list;
    }

    /// <summary>The one child named so.</summary>
    /// <exception cref="XmlSignatureException">None, or more than one.</exception>
    public static XmlElement Single(XmlElement parent, string ns, string localName)
    {
        var children = Children(parent, ns, localName);
        return children.Count == 1 ? children[0] : throw XmlSignatureException.Format($"{parent.LocalName} must have exactly one {localName} element; it has {children.Count}.");
    }

    /// <summary>The one child named so, or null when absent.</summary>
    /// <exception cref="XmlSignatureException">More than one.</exception>
    public static XmlElement? Optional(XmlElement parent, string ns, string localName)
    {
        var children = Children(parent, ns, localName);
        return children.Count switch
        {
            0 => null,
            1 => children[0],
            _ => throw XmlSignatureException.Format($"{parent.LocalName} has {children.Count} {localName} elements; at most one is allowed."),
        };
    }

    /// <summary>The base64 text of <paramref name="element"/> (whitespace ignored).</summary>
    /// <exception cref="XmlSignatureException">Not base64.</exception>
    public static byte[] Base64(XmlElement element)
    {
        try
        {
            return Convert.FromBase64String(element.InnerText.Trim());
        }
        catch (FormatException)
        {
            throw XmlSignatureException.Format($"{element.LocalName} does not hold base64 data.");
        }
    }
}
