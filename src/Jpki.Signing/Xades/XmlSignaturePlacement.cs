namespace Jpki.Signing.Xades;

/// <summary>Where an XML signature sits relative to what it signs (the three reference types e-Government application data uses).</summary>
public enum XmlSignaturePlacement
{
    /// <summary>
    /// Inside the signed XML document, appended to its root element: the reference is <c>URI=""</c> with the
    /// enveloped-signature transform (the whole document), or <c>URI="#id"</c> for one element
    /// (<see cref="XadesSignOptions.ReferenceId"/>) — the form for several parallel signatures over the same data.
    /// </summary>
    Enveloped,

    /// <summary>The signed XML inside the signature's own <c>ds:Object</c>; the output is a <c>ds:Signature</c> document.</summary>
    Enveloping,

    /// <summary>
    /// A separate signature file whose reference names the signed file (<see cref="XadesSignOptions.DetachedUri"/>) and
    /// digests its bytes as they are: any file, XML or not.
    /// </summary>
    Detached,
}
