namespace Jpki.Verification.Tests.Support;

/// <summary>An in-process CRL distribution point behind an <see cref="HttpMessageHandler"/>: serves <see cref="Crl"/>, counts downloads.</summary>
public sealed class CrlServer : HttpMessageHandler
{
    public byte[] Crl { get; set; } = [];

    public int Downloads { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Downloads++;
        return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(Crl) });
    }
}
