using SfBackup.Emulator;

var app = EmulatorHost.Build(args);
try
{
    await app.StartAsync();
}
catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse } || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    // Another process (often an emulator started earlier) holds the port: say so, and how to pick another, without a stack trace.
    Console.Error.WriteLine($"SfBackup emulator: {app.Configuration["urls"] ?? app.Configuration["ASPNETCORE_URLS"] ?? EmulatorHost.DefaultUrl} is in use by another process.");
    Console.Error.WriteLine("Stop that process, or pick another port: dotnet run --project src/SfBackup.Emulator -- --urls http://127.0.0.1:19081 (or http://127.0.0.1:0 for any free one).");
    return 1;
}
foreach (var address in app.Urls)
{
    // One line a script can read to learn the port (useful with --urls http://127.0.0.1:0).
    Console.WriteLine($"SfBackup emulator listening on {address}");
}
Console.WriteLine("Press Ctrl+C to stop.");
await app.WaitForShutdownAsync();
return 0;
