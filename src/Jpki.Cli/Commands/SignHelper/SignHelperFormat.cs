namespace Jpki.Cli.Commands.SignHelper;

/// <summary>The three signature formats the helper makes.</summary>
internal enum SignHelperFormat
{
    /// <summary>A detached CMS (<c>.p7s</c>, ETSI EN 319 122).</summary>
    Cades,

    /// <summary>An XML signature (ETSI EN 319 132).</summary>
    Xades,

    /// <summary>A signed PDF (ETSI EN 319 142).</summary>
    Pades,
}
