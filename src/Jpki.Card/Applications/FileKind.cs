namespace Jpki.Card.Applications;

/// <summary>What an EF is, for the access rules.</summary>
internal enum FileKind
{
    Transparent,
    Pin,
    Key,
}
