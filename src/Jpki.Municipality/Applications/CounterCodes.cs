namespace Jpki.Municipality.Applications;

/// <summary>
/// The counter's own refusal codes. Refusals that come from a Core rule keep the rule's code: <c>office-closed</c>
/// (office hours), <c>card-expired</c> (CertificateValidity), <c>juki-card-issuance-ended</c>, <c>sign-under-15</c>,
/// <c>sign-under-guardianship</c> (Eligibility), <c>renewal-too-early</c> (RenewalWindow), <c>pin-*</c> (PinPolicy).
/// </summary>
public static class CounterCodes
{
    /// <summary>No resident with that id.</summary>
    public const string ResidentNotFound = "resident-not-found";

    /// <summary>The resident record is not live (moved out, deceased).</summary>
    public const string ResidentNotActive = "resident-not-active";

    /// <summary>The clerk has not confirmed the photo ID.</summary>
    public const string IdentityNotChecked = "identity-not-checked";

    /// <summary>The presented card is not registered to this resident.</summary>
    public const string CardNotHolders = "card-not-holders";

    /// <summary>The presented card is registered but reported lost or returned.</summary>
    public const string CardNotActive = "card-not-active";

    /// <summary>Wrong card PIN; tries remain.</summary>
    public const string CardPinWrong = "card-pin-wrong";

    /// <summary>The card PIN is blocked.</summary>
    public const string CardPinBlocked = "card-pin-blocked";

    /// <summary>Nothing was requested.</summary>
    public const string NothingRequested = "nothing-requested";

    /// <summary>A name or address character has no substitute in the JPKI set.</summary>
    public const string CharsetUnmappable = "charset-unmappable";

    /// <summary>A substitute choice is not among the candidates of that character.</summary>
    public const string CharsetBadChoice = "charset-bad-choice";

    /// <summary>No valid certificate of that kind to act on.</summary>
    public const string NoCertificate = "no-certificate";

    /// <summary>The action needs a supervisor.</summary>
    public const string SupervisorRequired = "supervisor-required";

    /// <summary>The daily close of that day is done already.</summary>
    public const string DayAlreadyClosed = "day-already-closed";

    /// <summary>A registry change without the new value it needs, or with the same value.</summary>
    public const string ChangeInvalid = "change-invalid";

    /// <summary>Proxy: the reference number is malformed (check digit).</summary>
    public const string ProxyReferenceInvalid = "proxy-reference-invalid";

    /// <summary>Proxy: no inquiry with that reference.</summary>
    public const string ProxyReferenceUnknown = "proxy-reference-unknown";

    /// <summary>Proxy: the inquiry was already used or refused.</summary>
    public const string ProxyInquiryClosed = "proxy-inquiry-closed";

    /// <summary>Proxy: the answer came after the deadline.</summary>
    public const string ProxyAnswerLate = "proxy-answer-late";

    /// <summary>Proxy: visit 2 on the day of visit 1.</summary>
    public const string ProxySameDay = "proxy-same-day";

    /// <summary>Proxy: the concealing seal over the PINs is not intact (the inquiry is closed).</summary>
    public const string ProxySealBroken = "proxy-seal-broken";

    /// <summary>Proxy: the applicant's registered address changed after the letter was sent.</summary>
    public const string ProxyAddressChanged = "proxy-address-changed";

    /// <summary>Proxy: the request lacks the application or the power of attorney.</summary>
    public const string ProxyDocumentsMissing = "proxy-documents-missing";

    /// <summary>A name longer than a certificate carries (<c>BasicFourInfoLimits.NameMaxLength</c>).</summary>
    public const string NameTooLong = "name-too-long";

    /// <summary>An address longer than a certificate carries (<c>BasicFourInfoLimits.AddressMaxLength</c>).</summary>
    public const string AddressTooLong = "address-too-long";

    /// <summary>A reading longer than <c>BasicFourInfoLimits.NameKanaMaxLength</c>.</summary>
    public const string KanaTooLong = "kana-too-long";

    /// <summary>A name change without the reading of the new name.</summary>
    public const string KanaRequired = "kana-required";

    /// <summary>No card was chosen (empty or missing card slot).</summary>
    public const string CardNotChosen = "card-not-chosen";

    /// <summary>The card has no card PIN (券面事項入力補助用暗証番号) yet: set it first with a PIN reset of the card PIN.</summary>
    public const string CardPinNotSet = "card-pin-not-set";

    /// <summary>The card is registered to another resident.</summary>
    public const string CardRegisteredToOther = "card-registered-to-other";

    /// <summary>Proxy visit 2 without a statement about the concealing seal (neither intact nor broken): nothing is closed.</summary>
    public const string ProxySealNotStated = "proxy-seal-not-stated";

    /// <summary>A card number that is not 1–32 ASCII letters, digits and '-'.</summary>
    public const string BadCardNumber = "bad-card-number";

    /// <summary>Writing an issued certificate onto the card failed: the certificate was revoked (or its revocation is pending); issue again.</summary>
    public const string CardWriteFailed = "card-write-failed";

    /// <summary>An earlier issuance for the resident stopped half-way and could not be resolved yet (the authority is unreachable, or another counter process resolved it meanwhile).</summary>
    public const string IssuanceUnresolved = "issuance-unresolved";

    /// <summary>An earlier issuance stopped while a card was being written and that card cannot be read: it must be presented (or reported lost) before anything else is issued.</summary>
    public const string IssuanceCardNeeded = "issuance-card-needed";

    /// <summary>PUK unblock: the card has no PUK (today's RSA card): the PIN reset through the issuer channel is the way.</summary>
    public const string CardHasNoPuk = "card-has-no-puk";

    /// <summary>PUK unblock: the card PIN was named; the PUK opens the authentication PIN and the signature password only.</summary>
    public const string PukNotForCardPin = "puk-not-for-card-pin";

    /// <summary>PUK unblock: the PUK is wrong; the refusal's data holds the PUK's tries left.</summary>
    public const string PukWrong = "puk-wrong";

    /// <summary>PUK unblock: the PUK is blocked; the PIN reset through the issuer channel is the way.</summary>
    public const string PukBlocked = "puk-blocked";

    /// <summary>PUK unblock: the card was made without a PUK (it is optional).</summary>
    public const string PukNotSet = "puk-not-set";
}
