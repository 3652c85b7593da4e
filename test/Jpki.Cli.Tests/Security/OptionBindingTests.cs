using System.CommandLine;
using System.Reflection;

namespace Jpki.Cli.Tests.Security;

/// <summary>
/// Issue 12 item 6: <c>--ocsp URL</c> crashed <c>jpki verify</c> and <c>jpki login verify</c> because System.CommandLine
/// has no converter for <see cref="Uri"/>. The class: every option of every command, given a value of its type, must
/// bind (or be a parse error) — never throw when the command reads it.
/// </summary>
[Trait("Category", "Security")]
public class OptionBindingTests
{
    [Fact]
    public void EveryOptionOfEveryCommand_BindsAPlausibleValueWithoutThrowing()
    {
        var root = JpkiCommand.Build(new CliContext(TextWriter.Null, TextWriter.Null, TimeProvider.System));
        var checkedOptions = 0;
        var failures = new List<string>();
        foreach (var (path, command) in Commands(root, []))
        {
            foreach (var option in command.Options)
            {
                if (option.ValueType == typeof(bool) || option.ValueType == typeof(void))
                {
                    continue;
                }

                var sample = SampleFor(option.ValueType);
                if (sample is null)
                {
                    failures.Add($"{string.Join(' ', path)} {option.Name}: no sample for {option.ValueType.Name} — add one to this test");
                    continue;
                }

                var parse = root.Parse([.. path, option.Name, sample]);
                if (parse.Errors.Any(e => e.SymbolResult is System.CommandLine.Parsing.OptionResult r && r.Option == option))
                {
                    checkedOptions++; // refused at parse time (e.g. AcceptOnlyFromAmong): a clear error, exit 2
                    continue;
                }

                try
                {
                    _ = typeof(ParseResult).GetMethods().Single(m => m.Name == "GetValue" && m.IsGenericMethod && m.GetParameters()[0].ParameterType.IsGenericType && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(Option<>))
                        .MakeGenericMethod(option.ValueType).Invoke(parse, [option]);
                    checkedOptions++;
                }
                catch (TargetInvocationException e)
                {
                    failures.Add($"{string.Join(' ', path)} {option.Name} {sample}: {e.InnerException!.GetType().Name}: {e.InnerException.Message}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedOptions > 100, $"only {checkedOptions} options walked");
    }

    [Theory]
    [InlineData("verify --sig /nonexistent.p7s")]
    [InlineData("login verify --challenge AAAA --signature /nonexistent.sig --cert /nonexistent.pem")]
    public async Task Ocsp_NotAUrl_Exit2WithAClearMessage(string command)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync([.. command.Split(' '), "--ocsp", "not a url"]);

        Assert.Equal(2, code);
        Assert.Contains("--ocsp", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
    }

    private static IEnumerable<(string[] Path, Command Command)> Commands(Command command, string[] path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        {
            foreach (var nested in Commands(sub, [.. path, sub.Name]))
            {
                yield return nested;
            }
        }
    }

    private static string? SampleFor(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        element = Nullable.GetUnderlyingType(element) ?? element;
        return element switch
        {
            _ when element == typeof(string) => "x",
            _ when element == typeof(int) => "1",
            _ when element == typeof(bool) => "true",
            _ when element == typeof(Uri) => "http://127.0.0.1:1/ocsp",
            _ when element == typeof(TimeSpan) => "1.00:00:00",
            _ when element == typeof(FileInfo) => "/tmp/jpki-option-binding-sample",
            _ when element == typeof(DirectoryInfo) => "/tmp",
            _ when element.IsEnum => Enum.GetNames(element)[^1],
            _ => null,
        };
    }
}
