using System.Globalization;
using System.Xml;

namespace Jpki.Verification.Xades;

/// <summary>
/// Dereferences a ds:Reference and applies its transforms (XMLDSig §4.4.3), for the few forms e-Government XML uses
/// and nothing else: <c>URI=""</c> (the whole document), <c>URI="#id"</c> (one element, found by an unambiguous Id), and
/// a relative file name (a detached file the caller supplies — nothing is fetched); transforms enveloped-signature,
/// C14N 1.0 and exclusive C14N (with or without comments). XSLT, XPath filters, base64, XPointer other than the bare
/// Id, and URIs with a scheme are refused: they can run code, fetch from the network, or make a verifier show other
/// content than was signed.
/// </summary>
internal sealed class XmlReferenceResolver
{
    private readonly XmlDocument _document;
    private readonly XmlIdIndex _ids;
    private readonly Func<string, byte[]?> _detached;

    /// <param name="document">The document holding the signature.</param>
    /// <param name="ids">Its identifier index.</param>
    /// <param name="detached">The bytes of a detached file by URI, or null when not supplied.</param>
    public XmlReferenceResolver(XmlDocument document, XmlIdIndex ids, Func<string, byte[]?> detached)
    {
        _document = document;
        _ids = ids;
        _detached = detached;
    }

    /// <summary>Dereferences and transforms <paramref name="reference"/>, a ds:Reference of <paramref name="signature"/>.</summary>
    /// <exception cref="XmlSignatureException">A refused form, an unknown or ambiguous Id, or a detached file not supplied.</exception>
    public XmlReference Resolve(XmlElement reference, XmlElement signature)
    {
        if (reference.GetAttributeNode("URI") is not { } uriAttribute)
        {
            throw XmlSignatureException.Format("A ds:Reference without a URI attribute names its data by application convention; this validator refuses it.");
        }

        var uri = uriAttribute.Value;
        var transforms = Transforms(reference);
        XmlDocument? nodes = null;
        byte[]? octets = null;
        XmlElement? target = null;
        string description;
        XmlNode? envelopedSignature = null;
        if (uri.Length == 0)
        {
            nodes = (XmlDocument)_document.CloneNode(deep: true);
            envelopedSignature = Follow(nodes, PathFrom(_document, signature));
            XmlCanonicalizer.DiscardComments(nodes);
            description = "the whole document";
        }
        else if (uri[0] == '#')
        {
            var id = uri[1..];
            if (id.StartsWith("xpointer(", StringComparison.Ordinal))
            {
                throw XmlSignatureException.Refused($"The reference {uri} uses an XPointer expression; only bare Id references are accepted.");
            }

            target = _ids.Find(id);
            nodes = XmlCanonicalizer.Standalone(target);
            envelopedSignature = Follow(nodes, PathFrom(target, signature));
            XmlCanonicalizer.DiscardComments(nodes);
            description = $"{Path(target)} (Id '{id}')";
        }
        else
        {
            if (uri.Contains(':', StringComparison.Ordinal) || uri.StartsWith('/') || uri.StartsWith('\\') || uri.Contains("..", StringComparison.Ordinal))
            {
                throw XmlSignatureException.Refused($"The reference {uri} names a resource by scheme or path; only a detached file given alongside the signature is read, never fetched.");
            }

            octets = _detached(uri) ?? throw new XmlSignatureException(new Signatures.SignatureFailure(Signatures.Indication.Indeterminate, Signatures.SubIndication.SignedDataNotFound, Verdict.Fail(VerdictCode.Malformed, $"The signature covers the detached file '{uri}': give it too.")));
            description = $"the detached file '{uri}'";
        }

        var canonicalised = false;
        foreach (var (algorithm, element) in transforms)
        {
            switch (algorithm)
            {
                case XmlDsigNames.EnvelopedSignature:
                    if (nodes is null || canonicalised)
                    {
                        throw XmlSignatureException.Refused("The enveloped-signature transform applies to a same-document node set, before canonicalisation.");
                    }

                    // Enveloped means the signature lies inside what it signs: a reference that names an element outside
                    // (e.g. a signed element moved into a ds:Object while a forged one takes its place) is refused.
                    if (envelopedSignature?.ParentNode is not { } parent)
                    {
                        throw XmlSignatureException.Format($"The reference {(uri.Length == 0 ? "\"\"" : uri)} has the enveloped-signature transform, but the signature is not inside {description}: the signed data was moved away from its signature (signature wrapping).");
                    }

                    parent.RemoveChild(envelopedSignature);
                    envelopedSignature = null;
                    break;
                case XmlDsigNames.C14N or XmlDsigNames.C14NWithComments or XmlDsigNames.ExcC14N or XmlDsigNames.ExcC14NWithComments:
                    if (canonicalised)
                    {
                        throw XmlSignatureException.Refused("A reference canonicalises twice; this validator accepts one canonicalisation transform, last.");
                    }

                    var prefixes = InclusivePrefixes(element);
                    octets = nodes is not null ? XmlCanonicalizer.Canonicalize(nodes, algorithm, prefixes) : ParseAndCanonicalize(octets!, algorithm, prefixes, uri);
                    nodes = null;
                    canonicalised = true;
                    break;
                default:
                    throw XmlSignatureException.Refused(Describe(algorithm));
            }
        }

        return new XmlReference(uri, octets, nodes, description, target);
    }

    /// <summary>The (algorithm, element) of each ds:Transform, in order.</summary>
    public static List<(string Algorithm, XmlElement Element)> Transforms(XmlElement reference)
    {
        var list = new List<(string, XmlElement)>();
        var transforms = XmlDsigElements.Children(reference, XmlDsigNames.Ds, "Transforms");
        if (transforms.Count > 1)
        {
            throw XmlSignatureException.Format("A ds:Reference has more than one ds:Transforms.");
        }

        foreach (var transform in transforms.SelectMany(t => XmlDsigElements.Children(t, null, null)))
        {
            if (transform.LocalName != "Transform" || transform.NamespaceURI != XmlDsigNames.Ds)
            {
                throw XmlSignatureException.Format($"ds:Transforms holds a {transform.Name} element.");
            }

            list.Add((transform.GetAttribute("Algorithm"), transform));
        }

        if (list.Count > 4)
        {
            throw XmlSignatureException.Refused("A ds:Reference has more than 4 transforms.");
        }

        return list;
    }

    /// <summary>Why a transform is refused, in words.</summary>
    public static string Describe(string algorithm) => algorithm switch
    {
        "http://www.w3.org/TR/1999/REC-xslt-19991116" => "The signature uses an XSLT transform, which can run code in the verifier and make it show other content than was signed; it is refused.",
        "http://www.w3.org/TR/1999/REC-xpath-19991116" or "http://www.w3.org/2002/06/xmldsig-filter2" => $"The signature uses an XPath transform ({algorithm}), which can hide what is signed and costs unbounded time; it is refused.",
        "http://www.w3.org/2000/09/xmldsig#base64" => "The signature uses the base64 transform, which this validator does not accept.",
        XmlDsigNames.C14N11 => "The signature uses Canonical XML 1.1, which this validator does not run (C14N 1.0 and exclusive C14N are accepted).",
        _ => $"The signature uses the transform '{algorithm}', which this validator does not accept (enveloped-signature, C14N 1.0 and exclusive C14N are).",
    };

    /// <summary>The PrefixList of an ec:InclusiveNamespaces child, or null.</summary>
    public static string? InclusivePrefixes(XmlElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var inclusive = XmlDsigElements.Children(element, XmlDsigNames.ExcC14N, "InclusiveNamespaces");
        return inclusive.Count == 0 ? null : inclusive[0].GetAttribute("PrefixList");
    }

    /// <summary>An element's location as a path of names with positions, e.g. <c>/申請書[1]/本文[1]</c>.</summary>
    public static string Path(XmlElement element)
    {
        var parts = new List<string>();
        for (XmlNode? node = element; node is XmlElement e; node = node.ParentNode)
        {
            var position = 1;
            for (var sibling = e.PreviousSibling; sibling is not null; sibling = sibling.PreviousSibling)
            {
                if (sibling is XmlElement s && s.Name == e.Name)
                {
                    position++;
                }
            }

            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{e.Name}[{position}]"));
        }

        parts.Reverse();
        return "/" + string.Join('/', parts);
    }

    private static byte[] ParseAndCanonicalize(byte[] octets, string algorithm, string? prefixes, string uri)
    {
        try
        {
            return XmlCanonicalizer.Canonicalize(octets, algorithm, prefixes);
        }
        catch (XmlException e)
        {
            throw XmlSignatureException.Format($"The detached file '{uri}' is canonicalised as XML but is not well-formed XML without a DTD: {e.Message}");
        }
    }

    /// <summary>The child indices from <paramref name="root"/> down to <paramref name="descendant"/>; null when it is not a descendant.</summary>
    private static List<int>? PathFrom(XmlNode root, XmlNode descendant)
    {
        var path = new List<int>();
        var node = descendant;
        while (!ReferenceEquals(node, root))
        {
            if (node.ParentNode is not { } parent)
            {
                return null;
            }

            var index = 0;
            for (var sibling = node.PreviousSibling; sibling is not null; sibling = sibling.PreviousSibling)
            {
                index++;
            }

            path.Add(index);
            node = parent;
        }

        path.Reverse();

        // A Standalone copy has the element as the document element (child 0 of the document): prefix it.
        if (root is XmlElement)
        {
            path.Insert(0, 0);
        }

        return path;
    }

    private static XmlNode? Follow(XmlNode root, List<int>? path)
    {
        if (path is null)
        {
            return null;
        }

        var node = root;
        foreach (var index in path)
        {
            node = node.ChildNodes[index]!;
        }

        return node;
    }
}
