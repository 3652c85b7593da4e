using System.Net.Http.Headers;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Cli.Commands.SignHelper;

namespace Jpki.Cli.Tests.SignHelper;

/// <summary>A <see cref="SignHelperServer"/> on a free loopback port over a virtual card, its console fed <paramref name="typed"/>.</summary>
internal sealed class RunningHelper : IAsyncDisposable
{
    public const string City = "http://127.0.0.1:8080";

    private RunningHelper(SignHelperServer server, StringReader stdin, StringWriter console)
    {
        Server = server;
        Stdin = stdin;
        Console = console;
    }

    public SignHelperServer Server { get; }

    public StringReader Stdin { get; }

    public StringWriter Console { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(120) };

    public static async Task<RunningHelper> StartAsync(string cardPath, string typed, TimeProvider clock, SignHelperOptions? options = null)
    {
        var stdin = new StringReader(typed);
        var console = new StringWriter();
        var context = new CliContext(console, console, clock) { Stdin = stdin };
        var server = new SignHelperServer(
            options ?? new SignHelperOptions(0, [City]),
            () => (new InProcessTransport(VirtualCard.Open(cardPath), "card", ownsCard: true), null),
            new ConsolePasswordPrompt(context),
            console,
            clock);
        await server.StartAsync(CancellationToken.None);
        return new RunningHelper(server, stdin, console);
    }

    /// <summary>POSTs <paramref name="body"/> to <c>/sign?{query}</c> from <paramref name="origin"/>.</summary>
    public async Task<HttpResponseMessage> SignAsync(byte[] body, string query, string? origin = City)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.Address, "/sign" + (query.Length > 0 ? "?" + query : ""))) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
