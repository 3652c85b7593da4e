namespace Jpki.Municipality.Residents;

/// <summary>A registry change (異動) that the counter must react to (JPKI-REFERENCE §8.1).</summary>
public enum ResidentChangeKind
{
    /// <summary>転居: a move inside the municipality (new address).</summary>
    MoveWithin = 1,

    /// <summary>転入: moved in from another municipality (new address; the record is live again here).</summary>
    MoveIn = 2,

    /// <summary>転出: moved out to another municipality (the record leaves this register).</summary>
    MoveOut = 3,

    /// <summary>氏名の変更.</summary>
    NameChange = 4,

    /// <summary>生年月日の訂正.</summary>
    BirthDateCorrection = 5,

    /// <summary>性別の訂正.</summary>
    SexCorrection = 6,

    /// <summary>死亡: the record is deleted.</summary>
    Death = 7,

    /// <summary>カードの紛失: the card is reported lost.</summary>
    CardLoss = 8,
}
