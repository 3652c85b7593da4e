using System.Collections.Concurrent;

namespace Jpki.Server.Tests.Security;

/// <summary>Keeps every response body the test client receives (exception messages returned in problem answers included).</summary>
internal sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public ConcurrentQueue<(string Request, byte[] Body)> Responses { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Responses.Enqueue(($"{request.Method} {request.RequestUri?.AbsolutePath} → {(int)response.StatusCode}", body));
        var copy = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = copy;
        return response;
    }
}
