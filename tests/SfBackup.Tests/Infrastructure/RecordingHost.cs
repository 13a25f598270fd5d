using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace SfBackup.Tests.Infrastructure;

/// <summary>
/// A host that records every prompt (ShouldProcess with -Confirm, ShouldContinue, Read-Host) and answers choices
/// with a set label ("Yes" or "No"). Anything else that would need a person fails the test.
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingUI _ui;

    public RecordingHost(string answer = "No") => _ui = new RecordingUI(answer);

    /// <summary>Each prompt's caption and message, in order.</summary>
    public IReadOnlyList<string> Prompts => _ui.Prompts;

    /// <summary>Warning lines written to the host itself (not through the warning stream), as a stopping cmdlet writes them.</summary>
    public IReadOnlyList<string> HostWarnings => _ui.HostWarnings;

    public override PSHostUserInterface UI => _ui;
    public override string Name => "SfBackupRecordingHost";
    public override Version Version { get; } = new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class RecordingUI(string answer) : PSHostUserInterface
    {
        private readonly List<string> _prompts = [];
        private readonly List<string> _warnings = [];

        public IReadOnlyList<string> HostWarnings
        {
            get { lock (_warnings) return [.. _warnings]; }
        }

        public IReadOnlyList<string> Prompts
        {
            get { lock (_prompts) return [.. _prompts]; }
        }

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (_prompts) _prompts.Add($"{caption}: {message}");
            for (var i = 0; i < choices.Count; i++)
            {
                if (string.Equals(choices[i].Label.Replace("&", ""), answer, StringComparison.OrdinalIgnoreCase)) return i;
            }
            throw new InvalidOperationException($"No choice '{answer}' among {string.Join(", ", choices.Select(c => c.Label))}.");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException($"Unexpected prompt: {caption} {message}");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException($"Unexpected credential prompt: {caption}");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException($"Unexpected credential prompt: {caption}");
        public override string ReadLine() => throw new InvalidOperationException("Unexpected Read-Host.");
        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("Unexpected Read-Host.");

        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message)
        {
            lock (_warnings) _warnings.Add(message);
        }
    }
}
