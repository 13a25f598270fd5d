using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using SfBackup.Client.Operations;
using SfBackup.Client.Session;
using SfBackup.Client.Transport;
using SfBackup.Tests.Infrastructure;
using static SfBackup.Tests.SeedExamples;

namespace SfBackup.Tests;

/// <summary>TLS to a gateway with a self-signed certificate, as secure clusters often have: refused, pinned, or skipped.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private X509Certificate2 _certificate = null!;
    private ScriptedServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=sf-gateway.example", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("sf-gateway.example");
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        _server = await ScriptedServer.StartAsync((context, _) => { context.Response.StatusCode = 202; return Task.CompletedTask; }, _certificate);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
    }

    private Task<SfResponse> Call(Action<SfConnectionOptions> configure)
    {
        var options = new SfConnectionOptions { Endpoints = [_server.BaseUri], MaxRetries = 0 };
        configure(options);
        return new SfBackupClient(new SfClusterConnection(options)).ResumePartitionBackupAsync(Partition, Ct);
    }

    private static string Colons(string hex) => string.Join(":", Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2))).ToLowerInvariant();

    [Fact]
    public void The_server_really_speaks_https() => Assert.Equal("https", _server.BaseUri.Scheme);

    [Fact]
    public async Task A_self_signed_gateway_is_refused_by_default()
    {
        var ex = await Assert.ThrowsAsync<SfConnectionException>(() => Call(_ => { }));

        Assert.False(ex.IsTimeout);
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task Its_sha1_thumbprint_pinned_as_an_operator_pastes_it_is_trusted()
    {
        var response = await Call(o => o.ServerCertThumbprints = [Colons(_certificate.Thumbprint)]);

        Assert.Equal(202, response.StatusCode);
    }

    [Fact]
    public async Task Its_sha256_thumbprint_pinned_is_trusted()
    {
        var sha256 = Convert.ToHexString(SHA256.HashData(_certificate.RawData));

        var response = await Call(o => o.ServerCertThumbprints = [" " + sha256.ToLowerInvariant() + " "]);

        Assert.Equal(202, response.StatusCode);
    }

    [Fact]
    public async Task Another_thumbprint_pinned_does_not_trust_it()
    {
        await Assert.ThrowsAsync<SfConnectionException>(() => Call(o => o.ServerCertThumbprints = [new string('A', 40)]));
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task Skipping_the_check_trusts_it()
    {
        var response = await Call(o => o.SkipCertificateCheck = true);

        Assert.Equal(202, response.StatusCode);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("not a thumbprint at all, nowhere near forty hex digits")]
    public void A_thumbprint_that_cannot_be_one_is_refused_when_connecting(string thumbprint) =>
        Assert.Throws<ArgumentException>(() => new SfClusterConnection(new SfConnectionOptions { ServerCertThumbprints = [thumbprint] }));
}
