namespace Jpki.Municipality.Residents;

/// <summary>How far an import has read.</summary>
/// <param name="Lines">Lines read (the header included).</param>
/// <param name="Bytes">Bytes read.</param>
/// <param name="Errors">Bad lines so far.</param>
public readonly record struct ResidentImportProgress(int Lines, long Bytes, int Errors);
