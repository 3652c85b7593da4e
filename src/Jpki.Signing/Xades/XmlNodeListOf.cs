using System.Collections;
using System.Xml;

namespace Jpki.Signing.Xades;

/// <summary>An <see cref="XmlNodeList"/> over given nodes (what <see cref="System.Security.Cryptography.Xml.DataObject.Data"/> takes).</summary>
internal sealed class XmlNodeListOf(params XmlNode[] nodes) : XmlNodeList
{
    public override int Count => nodes.Length;

    public override XmlNode? Item(int index) => index >= 0 && index < nodes.Length ? nodes[index] : null;

    public override IEnumerator GetEnumerator() => nodes.GetEnumerator();
}
