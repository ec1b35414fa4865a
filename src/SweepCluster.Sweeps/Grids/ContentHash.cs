using System.Security.Cryptography;
using System.Text;

namespace SweepCluster.Sweeps.Grids;

/// <summary>The hash that names grid files and spectrum files by their content.</summary>
public static class ContentHash
{
    /// <summary>Full SHA-256 of the text's UTF-8 bytes, lowercase hex (what a cell's "sha256" spectrum field holds).</summary>
    public static string Sha256Hex(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
