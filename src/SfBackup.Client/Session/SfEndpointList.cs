using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace SfBackup.Client.Session
{
    /// <summary>
    /// A connection's endpoints, in order of use. As text (Export-Csv, string interpolation) they read as the
    /// addresses separated by spaces, not as a type name.
    /// </summary>
    public sealed class SfEndpointList : ReadOnlyCollection<Uri>
    {
        public SfEndpointList(IList<Uri> endpoints) : base(endpoints) { }

        public override string ToString() => string.Join(" ", this.Select(e => e.ToString()));
    }
}
