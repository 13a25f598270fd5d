using System;

namespace SfBackup.Client.Input
{
    /// <summary>Input echoed into messages is cut, so that a name of any size never floods an error, a log or a console.</summary>
    public static class SfText
    {
        /// <summary>How many characters of a name or value a message repeats.</summary>
        public const int EchoLimit = 100;

        /// <summary>The text itself when short, else its first <paramref name="limit"/> characters and '…'.</summary>
        public static string Clip(string? text, int limit = EchoLimit)
        {
            if (text == null) return "";
            return text.Length <= limit ? text : text.Substring(0, limit) + "…";
        }
    }
}
