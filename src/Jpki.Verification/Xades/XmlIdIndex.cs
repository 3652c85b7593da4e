using System.Xml;

namespace Jpki.Verification.Xades;

/// <summary>
/// The elements of a document by identifier: attributes named <c>Id</c>, <c>ID</c> or <c>id</c> (no namespace, as
/// SignedXml and xmlsec1 look them up) and <c>xml:id</c>. An identifier carried by two elements resolves to nothing —
/// the classic signature-wrapping attack places a second element with the signed element's Id where the application
/// reads, so an ambiguous reference is refused rather than resolved to either.
/// </summary>
internal sealed class XmlIdIndex
{
    private readonly Dictionary<string, XmlElement?> _elements = new(StringComparer.Ordinal);

    public XmlIdIndex(XmlDocument document)
    {
        foreach (XmlElement element in document.GetElementsByTagName("*"))
        {
            foreach (XmlAttribute attribute in element.Attributes)
            {
                var isId = attribute.NamespaceURI.Length == 0 ? attribute.LocalName is "Id" or "ID" or "id" : attribute.NamespaceURI == "http://www.w3.org/XML/1998/namespace" && attribute.LocalName == "id";
                if (!isId)
                {
                    continue;
                }

                // Two Id attributes with the same value on one element are one element, not a duplicate.
                _elements[attribute.Value] = _elements.TryGetValue(attribute.Value, out var existing) && !ReferenceEquals(existing, element) ? null : element;
            }
        }
    }

    /// <summary>The element with <paramref name="id"/>.</summary>
    /// <exception cref="XmlSignatureException">No element, or several, carry it.</exception>
    public XmlElement Find(string id)
    {
        if (!_elements.TryGetValue(id, out var element))
        {
            throw XmlSignatureException.Format($"A reference names the Id '{id}', which no element of the document carries.");
        }

        return element ?? throw XmlSignatureException.Format($"The Id '{id}' is carried by more than one element: the reference is ambiguous (a signature-wrapping attack places a second element with a signed element's Id), so the signature is refused.");
    }

    /// <summary>True when one element or more carry <paramref name="id"/>.</summary>
    public bool Contains(string id) => _elements.ContainsKey(id);

    /// <summary>The element with <paramref name="id"/>, or null when none or several carry it.</summary>
    public XmlElement? TryFind(string id) => _elements.TryGetValue(id, out var element) ? element : null;
}
