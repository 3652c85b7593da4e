namespace Jpki.Core.Time;

/// <summary>The era digit of <c>EYYYYMMDD</c> dates (JPKI-REFERENCE §6.2, OID 1.2.392.200149.8.5.5.4).</summary>
public enum Era
{
    /// <summary>0: unknown (不明).</summary>
    Unknown = 0,

    /// <summary>1: 明治, 1868-01-25 (Keiō 4/Meiji 1 New Year by the Gregorian calendar) to 1912-07-30 (that day is also Taisho's first).</summary>
    Meiji = 1,

    /// <summary>2: 大正, 1912-07-30 to 1926-12-25 (that day is also Showa's first).</summary>
    Taisho = 2,

    /// <summary>3: 昭和, 1926-12-25 to 1989-01-07.</summary>
    Showa = 3,

    /// <summary>4: 平成, 1989-01-08 to 2019-04-30.</summary>
    Heisei = 4,

    /// <summary>5: 令和, from 2019-05-01.</summary>
    Reiwa = 5,
}
