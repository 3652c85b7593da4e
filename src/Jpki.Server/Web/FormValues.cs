using Microsoft.AspNetCore.Http;

namespace Jpki.Server.Web;

/// <summary>
/// What a clerk typed into a staff form, to show the form again after a refusal, a stale token or a new login: the
/// posted fields, the query of a GET form, or a draft kept through a login (<see cref="FormDrafts"/>). Never the
/// secrets (<see cref="IsSecret"/>): PINs and passwords are typed again.
/// </summary>
internal sealed class FormValues
{
    private readonly Dictionary<string, string> _values;

    private FormValues(Dictionary<string, string> values, bool restored)
    {
        _values = values;
        Restored = restored;
    }

    /// <summary>Nothing typed yet.</summary>
    public static FormValues Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal), false);

    /// <summary>True when the values come from a draft kept through a login.</summary>
    public bool Restored { get; }

    /// <summary>The field names.</summary>
    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>The value of <paramref name="name"/>, or the empty string.</summary>
    public string this[string name] => _values.TryGetValue(name, out var value) ? value : string.Empty;

    /// <summary>True when the field was sent (a ticked checkbox, a chosen radio button).</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The value, or null when the field was not sent.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>True for the fields never kept: PINs, PUKs, passwords and the tokens.</summary>
    public static bool IsSecret(string name) =>
        name.Contains("pin", StringComparison.OrdinalIgnoreCase) || name.Contains("puk", StringComparison.OrdinalIgnoreCase)
        || name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name is "current" or "new" or "confirm" or Html.Csrf_FieldName or FormTokens.FieldName;

    public static FormValues From(IFormCollection form, bool restored = false) =>
        From(form.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString())), restored);

    public static FormValues From(IQueryCollection query) =>
        From(query.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString())), false);

    public static FormValues From(IEnumerable<KeyValuePair<string, string>> pairs, bool restored)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (!IsSecret(key))
            {
                values[key] = value;
            }
        }

        return new FormValues(values, restored);
    }

    /// <summary>The non-secret values as pairs (for a draft, for links).</summary>
    public IEnumerable<KeyValuePair<string, string>> Pairs => _values;

    /// <summary>These values with <paramref name="other"/>'s on top.</summary>
    public FormValues With(FormValues other) =>
        new(new Dictionary<string, string>(_values.Concat(other._values).GroupBy(p => p.Key).Select(g => g.Last()), StringComparer.Ordinal), Restored || other.Restored);
}
