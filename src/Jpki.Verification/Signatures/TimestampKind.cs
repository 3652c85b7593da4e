using System.Text.Json.Serialization;

namespace Jpki.Verification.Signatures;

/// <summary>What a time-stamp token covers, and so what it proves.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimestampKind>))]
public enum TimestampKind
{
    /// <summary>A signature time-stamp (CAdES signature-time-stamp, XAdES SignatureTimeStamp, PAdES signature's): it proves the signature value existed at genTime.</summary>
    [JsonStringEnumMemberName("signature-timestamp")]
    Signature,

    /// <summary>An archive time-stamp (CAdES archive-time-stamp-v3, XAdES ArchiveTimeStamp): it proves the signature, its earlier time-stamps and its validation data existed at genTime.</summary>
    [JsonStringEnumMemberName("archive-timestamp")]
    Archive,

    /// <summary>A PAdES document time-stamp: over the whole PDF revision, so over every earlier signature and the DSS.</summary>
    [JsonStringEnumMemberName("document-timestamp")]
    Document,

    /// <summary>A content time-stamp: it proves the signed content existed at genTime (not the signature).</summary>
    [JsonStringEnumMemberName("content-timestamp")]
    Content,
}
