namespace Jpki.Card.Virtual;

/// <summary>Points inside an atomic card-file write, for fault-injection tests.</summary>
internal enum CardWriteStage
{
    /// <summary>Half of the new content is in the temp file.</summary>
    PartlyWritten,

    /// <summary>The temp file is complete and flushed, not yet renamed over the card file.</summary>
    TempFlushed,

    /// <summary>The temp file has been renamed over the card; the directory is not yet synced.</summary>
    Renamed,

    /// <summary>The rename has happened and the directory is synced: the new state is the card, durably.</summary>
    Committed,
}
