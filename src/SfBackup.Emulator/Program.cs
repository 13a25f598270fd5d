using SfBackup.Emulator;

var app = EmulatorHost.Build(args);
await app.StartAsync();
foreach (var address in app.Urls)
{
    // One line a script can read to learn the port (useful with --urls http://127.0.0.1:0).
    Console.WriteLine($"SfBackup emulator listening on {address}");
}
Console.WriteLine("Press Ctrl+C to stop.");
await app.WaitForShutdownAsync();
