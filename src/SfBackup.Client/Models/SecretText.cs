using System;
using System.Runtime.InteropServices;
using System.Security;

namespace SfBackup.Client.Models
{
    /// <summary>SecureString in and out. Plain text exists only while a request body is being written.</summary>
    public static class SecretText
    {
        public static SecureString FromPlain(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var secure = new SecureString();
            foreach (var ch in text) secure.AppendChar(ch);
            secure.MakeReadOnly();
            return secure;
        }

        internal static string Reveal(SecureString secure)
        {
            var ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(ptr) ?? string.Empty;
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
