namespace Jpki.OnlineApplication;

/// <summary>Where an accepted application is in the staff queue.</summary>
internal enum ApplicationStatus
{
    /// <summary>受付済 — waiting for a clerk.</summary>
    Received = 0,

    /// <summary>処理済 — the certificate was issued and sent or handed over.</summary>
    Done = 1,

    /// <summary>却下 — refused by a clerk (the note says why).</summary>
    Rejected = 2,
}
