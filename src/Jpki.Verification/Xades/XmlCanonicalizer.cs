using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Jpki.Verification.Xades;

/// <summary>
/// Canonical XML of an element in its document context, by System.Security.Cryptography.Xml's C14N transforms (no
/// canonicaliser of our own): the element is copied into a document of its own with the namespace declarations in
/// scope from its ancestors, as <c>SignedXml</c> does for SignedInfo and same-document references, then the
/// transform serialises it.
/// </summary>
internal static class XmlCanonicalizer
{
    /// <summary>The canonical octets of <paramref name="element"/> with <paramref name="algorithm"/>.</summary>
    /// <param name="element">The element, in its document.</param>
    /// <param name="algorithm">A C14N 1.0 or exclusive C14N URI.</param>
    /// <param name="inclusivePrefixes">The exclusive C14N InclusiveNamespaces PrefixList, or null.</param>
    /// <exception cref="CryptographicException">An algorithm this library does not run.</exception>
    public static byte[] Canonicalize(XmlElement element, string algorithm, string? inclusivePrefixes = null)
        => Canonicalize(Standalone(element), algorithm, inclusivePrefixes);

    /// <summary>The canonical octets of a whole document (or a node set held as one).</summary>
    public static byte[] Canonicalize(XmlDocument document, string algorithm, string? inclusivePrefixes = null)
    {
        var transform = Create(algorithm, inclusivePrefixes);
        transform.LoadInput(document);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var buffer = new MemoryStream();
        output.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Parses octets (the output of a transform, or a detached XML file) and canonicalises them.</summary>
    public static byte[] Canonicalize(byte[] octets, string algorithm, string? inclusivePrefixes = null)
        => Canonicalize(SecureXml.Load(octets), algorithm, inclusivePrefixes);

    /// <summary>The transform for <paramref name="algorithm"/>.</summary>
    /// <exception cref="CryptographicException">Not C14N 1.0 or exclusive C14N.</exception>
    public static Transform Create(string algorithm, string? inclusivePrefixes) => algorithm switch
    {
        XmlDsigNames.C14N => new XmlDsigC14NTransform(includeComments: false),
        XmlDsigNames.C14NWithComments => new XmlDsigC14NTransform(includeComments: true),
        XmlDsigNames.ExcC14N => new XmlDsigExcC14NTransform(includeComments: false, inclusiveNamespacesPrefixList: inclusivePrefixes),
        XmlDsigNames.ExcC14NWithComments => new XmlDsigExcC14NTransform(includeComments: true, inclusiveNamespacesPrefixList: inclusivePrefixes),
        _ => throw new CryptographicException($"The canonicalisation method {algorithm} is not supported (C14N 1.0 and exclusive C14N are)."),
    };

    /// <summary>
    /// A copy of <paramref name="element"/> as the root of a new document, carrying the namespace declarations its
    /// ancestors put in scope (the nearest wins), so inclusive C14N renders them as it would in place.
    /// </summary>
    public static XmlDocument Standalone(XmlElement element)
    {
        var document = SecureXml.NewDocument();
        var copy = (XmlElement)document.ImportNode(element, deep: true);
        document.AppendChild(copy);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlAttribute attribute in copy.Attributes)
        {
            if (IsNamespaceDeclaration(attribute))
            {
                declared.Add(attribute.Name);
            }
        }

        for (var ancestor = element.ParentNode as XmlElement; ancestor is not null; ancestor = ancestor.ParentNode as XmlElement)
        {
            foreach (XmlAttribute attribute in ancestor.Attributes)
            {
                if (!IsNamespaceDeclaration(attribute) || !declared.Add(attribute.Name))
                {
                    continue;
                }

                if (attribute.Name == "xmlns" && copy.Prefix.Length == 0)
                {
                    continue;
                }

                var added = document.CreateAttribute(attribute.Name, "http://www.w3.org/2000/xmlns/");
                added.Value = attribute.Value;
                copy.SetAttributeNode(added);
            }
        }

        return document;
    }

    /// <summary>Removes every comment under <paramref name="node"/> (a same-document reference is a node set without comments, XMLDSig §4.4.3.3).</summary>
    public static void DiscardComments(XmlNode node)
    {
        foreach (var comment in node.SelectNodes("//comment()")!.Cast<XmlNode>().ToList())
        {
            comment.ParentNode?.RemoveChild(comment);
        }
    }

    private static bool IsNamespaceDeclaration(XmlAttribute attribute) => attribute.Name == "xmlns" || attribute.Prefix == "xmlns";
}
