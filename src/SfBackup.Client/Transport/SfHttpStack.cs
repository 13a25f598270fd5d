using System;
using System.Diagnostics;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using SfBackup.Client.Session;

namespace SfBackup.Client.Transport
{
    /// <summary>
    /// One connection's HTTP stack, built through IHttpClientFactory as a named client: the primary handler (TLS,
    /// client certificate, connection limit), then failover, Service Fabric headers and trace as DelegatingHandlers.
    /// Each connection has its own container and factory, so two connections never share handlers. The factory
    /// replaces the handler chain after <see cref="SfConnectionOptions.HandlerLifetime"/>, so a long-lived runbook
    /// connection resolves gateway names again; the connection asks it for a fresh HttpClient when that time is up.
    /// </summary>
    internal sealed class SfHttpStack : IDisposable
    {
        private const string ClientName = "SfBackup";
        private readonly ServiceProvider _services;
        private readonly IHttpClientFactory _factory;
        private readonly TimeSpan _lifetime;
        private readonly object _gate = new object();
        private HttpClient? _client;
        private long _builtAt;

        public SfHttpStack(SfConnectionOptions options, Func<SfTlsObservation, HttpMessageHandler> primary)
        {
            var tls = new SfTlsObservation();
            Tls = tls;
            var endpoints = new SfEndpoints(options.Endpoints);
            _lifetime = options.HandlerLifetime;
            var services = new ServiceCollection();
            services.AddHttpClient(ClientName, http => http.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(() => primary(tls))
                .AddHttpMessageHandler(() => new SfFailoverHandler(endpoints))
                .AddHttpMessageHandler(() => new SfHeadersHandler(options))
                .AddHttpMessageHandler(() => new SfTraceHandler())
                // The factory's own logging handlers would cost every call and log nowhere: -Verbose is SfTraceHandler's.
                .RemoveAllLoggers()
                .SetHandlerLifetime(_lifetime);
            _services = services.BuildServiceProvider();
            _factory = _services.GetRequiredService<IHttpClientFactory>();
            Endpoints = endpoints;
        }

        public SfEndpoints Endpoints { get; }

        /// <summary>The gateway certificates this connection's TLS check refused, for the errors that name them.</summary>
        public SfTlsObservation Tls { get; }

        /// <summary>The connection's one HttpClient, renewed once its handler chain has lived its time.</summary>
        public HttpClient Client
        {
            get
            {
                lock (_gate)
                {
                    var now = Stopwatch.GetTimestamp();
                    if (_client == null || now - _builtAt > _lifetime.TotalSeconds * Stopwatch.Frequency)
                    {
                        // The old client is not disposed: calls in flight finish on it, and the factory retires its handlers.
                        _client = _factory.CreateClient(ClientName);
                        _builtAt = now;
                    }
                    return _client;
                }
            }
        }

        public void Dispose() => _services.Dispose();
    }
}
