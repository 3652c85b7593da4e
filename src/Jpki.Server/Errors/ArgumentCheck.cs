using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Jpki.Server.Errors;

/// <summary>
/// An endpoint filter for the JSON APIs that looks at every bound argument before the handler runs and answers 400
/// (<c>application/problem+json</c>, <c>{code, detail, field}</c>) — so nothing is stored — when a string (also inside a
/// request record, a list or a dictionary) breaks <see cref="InputText"/> or is longer than
/// <see cref="InputText.MaxLength"/>, an enum holds a number that names no member (JSON carries enums as numbers), or
/// a date lies outside <see cref="MinDate"/>–<see cref="MaxDate"/> (beyond them day arithmetic overflows).
/// </summary>
internal static class ArgumentCheck
{
    /// <summary>The earliest date an API accepts.</summary>
    public static readonly DateOnly MinDate = new(1800, 1, 1);

    /// <summary>The latest date an API accepts.</summary>
    public static readonly DateOnly MaxDate = new(9998, 12, 31);

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    /// <summary>Adds the check to every endpoint of <paramref name="builder"/>.</summary>
    public static TBuilder CheckArguments<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var parameters = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>()?.GetParameters();
            for (var i = 0; i < context.Arguments.Count; i++)
            {
                var name = parameters is not null && i < parameters.Length ? parameters[i].Name ?? "$" : "$";
                if (Problem(context.Arguments[i], name, depth: 0) is { } problem)
                {
                    return BadRequestHandling.Problem(StatusCodes.Status400BadRequest, problem.Code, problem.Message, problem.Field);
                }
            }

            return await next(context).ConfigureAwait(false);
        });

    /// <summary>Null when <paramref name="value"/> is acceptable; else the code, sentence and JSON path of the first fault.</summary>
    internal static (string Code, string Message, string Field)? Problem(object? value, string path, int depth)
    {
        switch (value)
        {
            case null or bool or HttpContext or HttpRequest or CancellationToken:
                return null;
            case string text:
                if (text.Length > InputText.MaxLength)
                {
                    return ("text-too-long", string.Create(CultureInfo.InvariantCulture, $"{path} is longer than {InputText.MaxLength} characters."), path);
                }

                return InputText.Problem(text, allowLineBreaks: false) is { } bad ? (bad.Code, $"{path}: {bad.Message}", path) : null;
            case Enum e:
                return Enum.IsDefined(e.GetType(), e)
                    ? null
                    : ("unknown-value", string.Create(CultureInfo.InvariantCulture, $"{path}: {Convert.ToInt64(e, CultureInfo.InvariantCulture)} is not one of the values of {e.GetType().Name}."), path);
            case DateOnly date:
                return date >= MinDate && date <= MaxDate
                    ? null
                    : ("date-out-of-range", string.Create(CultureInfo.InvariantCulture, $"{path}: {date:yyyy-MM-dd} is outside {MinDate:yyyy-MM-dd}–{MaxDate:yyyy-MM-dd}."), path);
        }

        if (depth > 4)
        {
            return null;
        }

        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                var at = $"{path}[{entry.Key}]";
                if ((Problem(entry.Key, at + " (key)", depth + 1) ?? Problem(entry.Value, at, depth + 1)) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        if (value is IEnumerable sequence)
        {
            var index = 0;
            foreach (var item in sequence)
            {
                if (Problem(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), depth + 1) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        var type = value.GetType();
        if (type.Namespace?.StartsWith("Jpki.", StringComparison.Ordinal) != true)
        {
            return null;
        }

        foreach (var property in Properties.GetOrAdd(type, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray()))
        {
            if (Problem(property.GetValue(value), path + "." + JsonName(property.Name), depth + 1) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static string JsonName(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
